import { answerOf, settle } from "./answer.js";
import { openFilesLimit } from "./open-files.js";
import { authenticate, bind, enableStreamManagement, mechanismsOf, openStream, streamHeader } from "./stream.js";
import type { HostileTarget } from "./target.js";
import type { Transport, Wire } from "./wire.js";

/** What a probe gets to work with: one target, one transport, and wires it opens. */
export interface ProbeContext {
  readonly target: HostileTarget;
  readonly transport: Transport;
  /** A raw connection, closed after the probe. */
  open(): Promise<Wire>;
  /** A raw connection logged in as `users[index]` with a bound resource. */
  loggedIn(index: 0 | 1 | 2, resource: string): Promise<{ wire: Wire; jid: string }>;
}

/** One kind of hostile input; `run` resolves with the server's answer in one line (see answerOf). */
export interface Probe {
  readonly id: string;
  readonly title: string;
  /** Transports the probe applies to (default both). */
  readonly transports?: readonly Transport[];
  /** The answer the reference server gives, per transport where they differ. */
  readonly reference: string | Partial<Record<Transport, string>>;
  /** For the big ones: how much the reference server's memory may grow, MiB. */
  readonly maxRssGrowthMiB?: number;
  run(context: ProbeContext): Promise<string>;
}

/** The transports `probe` runs over. */
export function transportsOf(probe: Probe): readonly Transport[] {
  return probe.transports ?? ["tcp", "ws"];
}

const CHUNK = 64 * 1024;
const IDLE_CONNECTIONS = 2000;

/** Writes one long piece of XML in chunks (over WebSocket: frames) of 64 KiB; false once the connection closed. */
async function writeInChunks(wire: Wire, data: string): Promise<boolean> {
  for (let offset = 0; offset < data.length; offset += CHUNK) {
    if (!(await wire.write(data.slice(offset, offset + CHUNK)))) return false;
  }
  return true;
}

/** Writes whole stanzas, as many as fit in 64 KiB per write (over WebSocket: per frame). */
async function writeGrouped(wire: Wire, stanzas: readonly string[]): Promise<boolean> {
  let batch = "";
  for (const stanza of stanzas) {
    if (batch.length + stanza.length > CHUNK && batch !== "") {
      if (!(await wire.write(batch))) return false;
      batch = "";
    }
    batch += stanza;
  }
  return batch === "" || wire.write(batch);
}

/** Opens a stream, then writes `data` (in chunks), then reads the answer. */
function afterHeader(data: (context: ProbeContext) => string | Uint8Array): (context: ProbeContext) => Promise<string> {
  return async (context) => {
    const wire = await context.open();
    await openStream(wire, context.target.domain);
    const bytes = data(context);
    await (typeof bytes === "string" ? writeInChunks(wire, bytes) : wire.write(bytes));
    return settle(wire, context.target.answerTimeout);
  };
}

/** Writes `data` as the very first bytes of a connection. */
function asFirstBytes(data: (context: ProbeContext) => string): (context: ProbeContext) => Promise<string> {
  return async (context) => {
    const wire = await context.open();
    await wire.write(data(context));
    return settle(wire, context.target.answerTimeout);
  };
}

/** Logs in, then writes `data` (in chunks), then reads the answer. */
function afterLogin(data: (context: ProbeContext) => string): (context: ProbeContext) => Promise<string> {
  return async (context) => {
    const { wire } = await context.loggedIn(0, "probe");
    await writeInChunks(wire, data(context));
    return settle(wire, context.target.answerTimeout);
  };
}

/** Writes `prefix` and then `size` characters of text that never closes, in chunks, until the server stops it. */
function unclosed(size: number): (context: ProbeContext) => Promise<string> {
  return async (context) => {
    const { wire } = await context.loggedIn(0, "probe");
    const filler = "x".repeat(CHUNK);
    if (!(await wire.write(`<message xmlns='jabber:client' to='${context.target.users[2]}@${context.target.domain}' type='chat'><body>`))) return settle(wire, 0);
    for (let written = 0; written < size; written += CHUNK) {
      if (!(await wire.write(filler))) break;
    }
    return settle(wire, context.target.answerTimeout);
  };
}

function repeated(unit: (index: number) => string, count: number): string {
  return times(unit, count).join("");
}

function times(unit: (index: number) => string, count: number): string[] {
  const parts: string[] = [];
  for (let index = 0; index < count; index++) parts.push(unit(index));
  return parts;
}

/** The IQ reply with `id`: `IQ result` or `IQ error <condition>`. */
async function iqAnswer(wire: Wire, id: string, timeout: number): Promise<string> {
  const reply = await wire.waitFor(new RegExp(`<iq[^>]*id=['"]${id}['"][^>]*(?:/>|>[\\s\\S]*?</iq>)`), timeout).catch(() => undefined);
  if (!reply) return answerOf(wire.received, wire.isClosed ? await wire.ended : undefined);
  if (/type=['"]result['"]/.test(reply[0])) return "IQ result";
  return `IQ error ${/<([a-z-]+)[^>]*xmlns=['"]urn:ietf:params:xml:ns:xmpp-stanzas['"]/.exec(reply[0])?.[1] ?? "unknown"}`;
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

// Every stanza names its namespace: over WebSocket each message stands alone (RFC 7395), and
// Prosody refuses a stanza without jabber:client there (unsupported-stanza-type).
export const PROBES: readonly Probe[] = [
  {
    id: "undefined-entity",
    title: "`<a b='&x;'/>` as the first 12 bytes (undefined entity)",
    reference: "stream error restricted-xml",
    run: asFirstBytes(() => "<a b='&x;'/>"),
  },
  {
    id: "numeric-entity",
    title: "`&#0;` in a stanza (a character XML forbids)",
    reference: "stream error not-well-formed",
    run: afterHeader(() => "<message xmlns='jabber:client'><body>&#0;</body></message>"),
  },
  {
    id: "stray-end-tag",
    title: "a stray end tag first (TCP `</stream:stream>`; WebSocket `<open/>` then `</open>`)",
    reference: "stream error not-well-formed",
    run: async (context) => {
      const wire = await context.open();
      if (context.transport === "tcp") await wire.write("</stream:stream>");
      else {
        await wire.write(streamHeader("ws", context.target.domain));
        await wire.write("</open>");
      }
      return settle(wire, context.target.answerTimeout);
    },
  },
  {
    id: "mismatched-tags",
    title: "mismatched tags `<a></b>`",
    reference: "stream error not-well-formed",
    run: afterHeader(() => "<a></b>"),
  },
  {
    id: "text-before-header",
    title: "text before the stream header",
    reference: "stream error not-well-formed",
    run: asFirstBytes((context) => `hello${streamHeader(context.transport, context.target.domain)}`),
  },
  {
    id: "doctype-internal-entity",
    title: "DOCTYPE with an internal entity (billion laughs)",
    reference: "stream error restricted-xml",
    run: asFirstBytes(
      (context) =>
        `<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>]>${streamHeader(context.transport, context.target.domain).replace("<?xml version='1.0'?>", "")}<message><body>&lol2;</body></message>`,
    ),
  },
  {
    id: "doctype-external-entity",
    title: "DOCTYPE with an external entity (`SYSTEM 'file:///etc/passwd'`)",
    reference: "stream error restricted-xml",
    run: asFirstBytes(
      (context) =>
        `<!DOCTYPE x [<!ENTITY passwd SYSTEM 'file:///etc/passwd'>]>${streamHeader(context.transport, context.target.domain).replace("<?xml version='1.0'?>", "")}<message><body>&passwd;</body></message>`,
    ),
  },
  {
    id: "comment",
    title: "an XML comment",
    reference: "stream error restricted-xml",
    run: afterHeader(() => "<!-- hello -->"),
  },
  {
    id: "processing-instruction",
    title: "a processing instruction",
    reference: "stream error restricted-xml",
    run: afterHeader(() => "<?evil instruction?>"),
  },
  {
    id: "invalid-utf8",
    title: "invalid UTF-8 (bytes FF FE in a stanza)",
    // ws checks text frames itself and fails the connection (RFC 6455 §8.1).
    reference: { tcp: "stream error not-well-formed", ws: "WebSocket closed 1007" },
    run: afterHeader(() => Uint8Array.from([...Buffer.from("<message xmlns='jabber:client'><body>"), 0xff, 0xfe, ...Buffer.from("</body></message>")])),
  },
  ...([1, 10, 50] as const).map(
    (megabytes): Probe => ({
      id: `unclosed-${megabytes}mb`,
      title: `a ${megabytes} MB unclosed stanza from a logged-in user`,
      reference: "stream error policy-violation + stanza-too-big",
      maxRssGrowthMiB: 8,
      run: unclosed(megabytes * 1024 * 1024),
    }),
  ),
  {
    id: "deep-before-login",
    title: "10⁵-deep nesting before login",
    reference: "stream error policy-violation",
    run: afterHeader(() => "<a>".repeat(100_000)),
  },
  {
    id: "deep-after-login",
    title: "10⁵-deep nesting from a logged-in user",
    reference: "stream error policy-violation",
    run: afterLogin(() => `<message xmlns='jabber:client'>${"<a>".repeat(100_000)}`),
  },
  {
    id: "deep-to-online-user",
    title: "a complete 10⁴-deep message to another user's online session, in one write (WebSocket: one frame)",
    reference: "stream error policy-violation",
    run: async (context) => {
      const receiver = await context.loggedIn(1, "deep-receiver");
      await receiver.wire.write("<presence xmlns='jabber:client'/>");
      const sender = await context.loggedIn(0, "deep-sender");
      await new Promise((resolve) => setTimeout(resolve, 100));
      await sender.wire.write(`<message xmlns='jabber:client' to='${receiver.jid}' type='chat' id='deep'><body>deep</body>${"<a>".repeat(10_000)}${"</a>".repeat(10_000)}</message>`);
      const timeout = context.target.answerTimeout;
      const deadline = Date.now() + timeout;
      const delivered = await Promise.race([
        receiver.wire.waitFor(/<message[^>]*id=['"]deep['"]/, timeout).then(() => true, () => false),
        sender.wire.waitForEnd(timeout).then(() => false),
      ]);
      // The receiver's connection may end first (a crashing server): the sender's end is then moments away.
      return delivered ? "delivered to the receiver" : settle(sender.wire, Math.max(0, deadline - Date.now()));
    },
  },
  {
    id: "attributes-before-login",
    title: "10⁵ attributes on one element before login",
    reference: "stream error policy-violation + stanza-too-big",
    run: afterHeader(() => `<auth${repeated((index) => ` a${index}='1'`, 100_000)}/>`),
  },
  {
    id: "attributes-after-login",
    title: "10⁵ attributes on one element from a logged-in user",
    reference: "stream error policy-violation + stanza-too-big",
    run: afterLogin(() => `<message xmlns='jabber:client'${repeated((index) => ` a${index}='1'`, 100_000)}/>`),
  },
  {
    id: "idle-connections",
    title: "2,000 idle connections, then a normal login",
    transports: ["tcp"],
    reference: "login works; the oldest idle ones evicted (resource-constraint)",
    run: async (context) => {
      // Each idle connection is a file on both ends; a machine with a low limit says so instead of failing obscurely.
      const limit = openFilesLimit();
      if (limit < IDLE_CONNECTIONS + 500) return `not run: open files are limited to ${limit} here (raise it with \`ulimit -n 8192\`)`;
      const idle = await Promise.all(Array.from({ length: IDLE_CONNECTIONS }, () => context.open()));
      const { wire } = await context.loggedIn(1, "after-idle");
      wire.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const evicted = idle.filter((connection) => /resource-constraint/.test(connection.received)).length;
      for (const connection of idle) connection.destroy();
      return `login works${evicted > 0 ? "; the oldest idle ones evicted (resource-constraint)" : ""}`;
    },
  },
  {
    id: "slow-sender",
    title: "a slow sender: the stream header one byte at a time, 100 ms apart",
    reference: "stream error connection-timeout",
    run: async (context) => {
      const wire = await context.open();
      const header = streamHeader(context.transport, context.target.domain);
      // Over WebSocket a frame is whole: the slow sender sends the header, then nothing.
      if (context.transport === "ws") await wire.write(header);
      else {
        for (const character of header) {
          if (wire.isClosed || !(await wire.write(character))) break;
          if (await wire.waitForEnd(100)) break;
        }
      }
      return settle(wire, context.target.answerTimeout);
    },
  },
  {
    id: "wrong-mechanism",
    title: "a SASL mechanism the server does not offer",
    reference: "SASL failure invalid-mechanism",
    run: async (context) => {
      const wire = await context.open();
      await openStream(wire, context.target.domain);
      await wire.write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='X-NONSENSE'>AA==</auth>");
      await wire.waitFor(/<failure|<(?:stream:)?error/, context.target.answerTimeout).catch(() => undefined);
      return answerOf(wire.received, undefined);
    },
  },
  {
    id: "malformed-base64",
    title: "malformed base64 in SASL",
    reference: "SASL failure incorrect-encoding",
    run: async (context) => {
      const wire = await context.open();
      const features = await openStream(wire, context.target.domain);
      const mechanism = mechanismsOf(features).includes("PLAIN") ? "PLAIN" : "SCRAM-SHA-1";
      await wire.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='${mechanism}'>!!!not*base64!!!</auth>`);
      await wire.waitFor(/<failure|<(?:stream:)?error|<challenge/, context.target.answerTimeout).catch(() => undefined);
      return /<challenge/.test(wire.received) && !/<failure/.test(wire.received) ? "SASL challenge (the data was taken)" : answerOf(wire.received, undefined);
    },
  },
  {
    id: "plain-authzid",
    title: "SASL PLAIN with another user's authzid",
    reference: { tcp: "n/a: no PLAIN on this transport", ws: "SASL failure invalid-authzid" },
    run: async (context) => {
      const wire = await context.open();
      const features = await openStream(wire, context.target.domain);
      if (!mechanismsOf(features).includes("PLAIN")) return "n/a: no PLAIN on this transport";
      const { users, domain, password } = context.target;
      const outcome = await authenticate(wire, features, users[0], password, `${users[1]}@${domain}`);
      if (outcome !== "success") return `SASL failure ${outcome}`;
      await openStream(wire, domain);
      const bound = (await bind(wire, "authzid")).split("/")[0];
      return bound === `${users[1]}@${domain}` ? "authenticated as another user!" : `SASL success; authzid ignored (bound as ${bound})`;
    },
  },
  {
    id: "wrong-passwords",
    title: "1,000 wrong passwords",
    reference: "1000 refused; then login works",
    run: async (context) => {
      let refused = 0;
      let attempts = 0;
      while (attempts < 1000) {
        const wire = await context.open();
        let features = await openStream(wire, context.target.domain);
        for (let round = 0; round < 3 && attempts < 1000 && !wire.isClosed; round++) {
          attempts += 1;
          const outcome = await authenticate(wire, features, context.target.users[0], "wrong").catch(() => "closed");
          if (outcome !== "success") refused += 1;
          if (outcome === "closed") break;
          features = wire.received;
        }
        wire.destroy();
      }
      const { wire } = await context.loggedIn(0, "after-passwords");
      wire.destroy();
      return `${refused} refused; then login works`;
    },
  },
  {
    id: "spoofed-from",
    title: "a message with a spoofed `from`",
    reference: "delivered with the sender's real JID",
    run: async (context) => {
      const { domain, users } = context.target;
      const receiver = await context.loggedIn(1, "receiver");
      await receiver.wire.write("<presence xmlns='jabber:client'/>");
      const sender = await context.loggedIn(0, "sender");
      await new Promise((resolve) => setTimeout(resolve, 100));
      await sender.wire.write(`<message xmlns='jabber:client' to='${receiver.jid}' from='${users[2]}@${domain}/forged' type='chat' id='spoof'><body>spoof</body></message>`);
      const arrived = await receiver.wire.waitFor(/<message[^>]*id=['"]spoof['"][^>]*>/, context.target.answerTimeout).catch(() => undefined);
      if (!arrived) return `not delivered; the sender got ${answerOf(sender.wire.received, sender.wire.isClosed ? await sender.wire.ended : undefined)}`;
      const from = /from=['"]([^'"]+)['"]/.exec(arrived[0])?.[1];
      return from === sender.jid ? "delivered with the sender's real JID" : `delivered with from='${from}'`;
    },
  },
  {
    id: "enable-for-other-user",
    title: "XEP-0357 enable addressed to another user's JID",
    reference: "IQ error service-unavailable",
    run: async (context) => {
      const { wire } = await context.loggedIn(0, "enabler");
      const { users, domain } = context.target;
      await wire.write(`<iq xmlns='jabber:client' type='set' id='other-enable' to='${users[1]}@${domain}'><enable xmlns='urn:xmpp:push:0' jid='push.${domain}' node='stolen'/></iq>`);
      return iqAnswer(wire, "other-enable", context.target.answerTimeout);
    },
  },
  {
    id: "pipelined-iqs",
    title: "10,000 pipelined IQs",
    reference: "10000 of 10000 answered",
    run: async (context) => {
      const { wire } = await context.loggedIn(0, "pipeline");
      const start = wire.received.length;
      await writeGrouped(wire, times((index) => `<iq xmlns='jabber:client' type='get' id='ping-${index}' to='${context.target.domain}'><ping xmlns='urn:xmpp:ping'/></iq>`, 10_000));
      await wire.waitFor(/id=['"]ping-9999['"]/, 30_000, start).catch(() => undefined);
      return `${count(wire.received.slice(start), /<iq[^>]*id=['"]ping-\d+['"]/g)} of 10000 answered`;
    },
  },
  {
    id: "ack-request-flood",
    title: "10,000 XEP-0198 ack requests `<r/>`",
    reference: "10000 of 10000 answered",
    run: async (context) => {
      const { wire } = await context.loggedIn(0, "acks");
      await enableStreamManagement(wire);
      const start = wire.received.length;
      await writeGrouped(wire, times(() => "<r xmlns='urn:xmpp:sm:3'/>", 10_000));
      const answered = (): number => count(wire.received.slice(start), /<a [^>]*h=/g);
      for (let waited = 0; waited < 10_000 && answered() < 10_000 && !wire.isClosed; waited += 100) await wire.waitForEnd(100);
      return answered() === 10_000 ? "10000 of 10000 answered" : `${answered()} of 10000 answered; then ${answerOf(wire.received, wire.isClosed ? await wire.ended : undefined)}`;
    },
  },
  {
    id: "ack-too-high",
    title: "XEP-0198 `<a h='1000'/>` above what the server sent",
    reference: "stream error undefined-condition + handled-count-too-high",
    run: async (context) => {
      const { wire } = await context.loggedIn(0, "acker");
      await enableStreamManagement(wire);
      await wire.write("<a xmlns='urn:xmpp:sm:3' h='1000'/>");
      return settle(wire, context.target.answerTimeout);
    },
  },
  {
    id: "resume-other-user",
    title: "XEP-0198 resume with another user's stream id",
    reference: "resumption refused (item-not-found)",
    run: async (context) => {
      const victim = await context.loggedIn(1, "victim");
      const previd = await enableStreamManagement(victim.wire);
      victim.wire.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const wire = await context.open();
      const { users, password, domain } = context.target;
      const outcome = await authenticate(wire, await openStream(wire, domain), users[0], password);
      if (outcome !== "success") return `login failed: ${outcome}`;
      await openStream(wire, domain);
      await wire.write(`<resume xmlns='urn:xmpp:sm:3' previd='${previd}' h='0'/>`);
      const answer = await wire.waitFor(/<resumed[^>]*>|<failed[\s\S]*?(?:<\/failed>|\/>)/, context.target.answerTimeout).catch(() => undefined);
      if (!answer) return answerOf(wire.received, wire.isClosed ? await wire.ended : undefined);
      if (answer[0].startsWith("<resumed")) return "resumed another user's session!";
      return `resumption refused (${/<([a-z-]+)[^>]*xmlns=['"]urn:ietf:params:xml:ns:xmpp-stanzas['"]/.exec(answer[0])?.[1] ?? "no condition"})`;
    },
  },
];

