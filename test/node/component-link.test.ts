import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { type ComponentLink, ComponentLinkError, connectComponent } from "../../src/node/index.js";
import { buildStanzaError, type Element, NS } from "../../src/protocol/index.js";
import { type Component, createAppServer } from "../../src/sim/index.js";
import { type FakeComponentServer, startFakeComponentServer } from "../helpers/fake-component-server.js";
import { manualComponent } from "../helpers/manual-component.js";
import { freePort } from "../interop/runner/ports.js";

const DOMAIN = "push.example.test";
const SECRET = "s3cret";

let server: FakeComponentServer | undefined;
let link: ComponentLink | undefined;
afterEach(async () => {
  await link?.close();
  await server?.close();
  link = undefined;
  server = undefined;
});

const discoInfo = (id: string): Element =>
  xml("iq", { type: "get", id, from: "example.test", to: DOMAIN }, xml("query", { xmlns: NS.discoInfo }));

const isReplyTo = (id: string) => (stanza: Element) => stanza.is("iq") && stanza.attrs.id === id;

describe("connectComponent (XEP-0114 link)", () => {
  it("answers each IQ request exactly once, with the component's own reply", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const connected = server.nextAuthenticated();
    link = connectComponent(createAppServer({ jid: DOMAIN }), { service: server.service, domain: DOMAIN, password: SECRET });
    await link.ready;
    const connection = await connected;

    const reply = connection.next(isReplyTo("d1"));
    connection.send(discoInfo("d1"));
    const answer = await reply;
    expect(answer.attrs).toMatchObject({ type: "result", to: "example.test", from: DOMAIN });
    expect(answer.getChild("query", NS.discoInfo)?.getChildren("identity")[0]?.attrs).toMatchObject({ category: "pubsub", type: "push" });

    // An IQ the component refuses (unknown node publish) gets its error, not service-unavailable.
    const refused = connection.next(isReplyTo("p1"));
    connection.send(xml("iq", { type: "set", id: "p1", from: "example.test", to: DOMAIN }, xml("pubsub", { xmlns: NS.pubsub }, xml("publish", { node: "x" }))));
    expect((await refused).getChild("error")?.getChildElements()[0]?.name).toBe("bad-request");

    // Everything the component sends comes in order on this one connection: a later reply proves no second one came.
    const barrier = connection.next(isReplyTo("d2"));
    connection.send(discoInfo("d2"));
    await barrier;
    expect(connection.received.filter((stanza) => ["d1", "p1"].includes(String(stanza.attrs.id)))).toHaveLength(2);
  });

  it("sends an empty result when the component answers with no payload", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const component = manualComponent(DOMAIN);
    const connected = server.nextAuthenticated();
    link = connectComponent(component, { service: server.service, domain: DOMAIN, password: SECRET });
    await link.ready;
    const connection = await connected;

    const reply = connection.next(isReplyTo("s1"));
    connection.send(xml("iq", { type: "set", id: "s1", from: "example.test", to: DOMAIN }, xml("ping", { xmlns: NS.ping })));
    await expect.poll(() => component.received.length).toBe(1);
    component.send(xml("iq", { type: "result", id: "s1", to: "example.test", from: DOMAIN }));
    const answer = await reply;
    expect(answer.attrs.type).toBe("result");
    expect(answer.children).toHaveLength(0);
  });

  it("hands messages and IQ results to the component and sends what it sends, from its domain", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const component = manualComponent(DOMAIN);
    const connected = server.nextAuthenticated();
    link = connectComponent(component, { service: server.service, domain: DOMAIN, password: SECRET });
    await link.ready;
    const connection = await connected;

    connection.send(xml("message", { from: "bob@example.test", to: DOMAIN }, xml("body", {}, "hi")));
    connection.send(xml("iq", { type: "result", id: "r1", from: "example.test", to: DOMAIN }));
    await expect.poll(() => component.received.map((stanza) => stanza.name)).toEqual(["message", "iq"]);

    const outgoing = connection.next((stanza) => stanza.is("message"));
    component.send(xml("message", { to: "bob@example.test" }, xml("body", {}, "from the component")));
    expect((await outgoing).attrs).toMatchObject({ from: DOMAIN, to: "bob@example.test" });
  });

  it("answers internal-server-error (wait) when the component stays silent, and reports it", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const connected = server.nextAuthenticated();
    link = connectComponent(manualComponent(DOMAIN), { service: server.service, domain: DOMAIN, password: SECRET, replyTimeout: 50 });
    const errors: ComponentLinkError[] = [];
    link.on("error", (error) => errors.push(error));
    await link.ready;
    const connection = await connected;

    const reply = connection.next(isReplyTo("q1"));
    connection.send(discoInfo("q1"));
    const error = (await reply).getChild("error");
    expect(error?.attrs.type).toBe("wait");
    expect(error?.getChildElements()[0]?.name).toBe("internal-server-error");
    expect(errors.map((failure) => failure.code)).toEqual(["no-reply"]);
  });

  it("rejects ready with not-authorized on a wrong secret and does not retry", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    link = connectComponent(manualComponent(DOMAIN), { service: server.service, domain: DOMAIN, password: "wrong", reconnect: { minDelay: 1 } });
    const failure = await link.ready.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ComponentLinkError);
    expect((failure as ComponentLinkError).code).toBe("not-authorized");
    expect(link.status).toBe("closed");
    expect(server.connections).toHaveLength(1);
  });

  it("backs off exponentially up to maxDelay and gives up after maxAttempts", async () => {
    const port = await freePort();
    link = connectComponent(manualComponent(DOMAIN), {
      service: `xmpp://127.0.0.1:${port}`,
      domain: DOMAIN,
      password: SECRET,
      reconnect: { minDelay: 5, maxDelay: 12, maxAttempts: 4 },
    });
    const waits: [number, number][] = [];
    link.on("reconnecting", (attempt, delay) => waits.push([attempt, delay]));
    const failure = await link.ready.catch((error: unknown) => error);
    expect((failure as ComponentLinkError).code).toBe("gave-up");
    expect(waits).toEqual([
      [2, 5],
      [3, 10],
      [4, 12],
    ]);
    expect(link.status).toBe("closed");
  });

  it("times out an attempt whose handshake never comes", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET, silent: true });
    link = connectComponent(manualComponent(DOMAIN), { service: server.service, domain: DOMAIN, password: SECRET, connectTimeout: 100, reconnect: { maxAttempts: 1 } });
    const errors: string[] = [];
    link.on("error", (error) => errors.push(error.code));
    const failure = await link.ready.catch((error: unknown) => error);
    expect((failure as ComponentLinkError).code).toBe("gave-up");
    expect(errors).toEqual(["timeout", "gave-up"]);
  });

  it("reconnects after the server drops the connection, and stanzas flow again", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const first = server.nextAuthenticated();
    link = connectComponent(createAppServer({ jid: DOMAIN }), { service: server.service, domain: DOMAIN, password: SECRET, reconnect: { minDelay: 5 } });
    await link.ready;
    const offline = new Promise<ComponentLinkError>((resolve) => link!.once("offline", resolve));
    const online = new Promise<void>((resolve) => link!.once("online", resolve));
    const second = server.nextAuthenticated();
    (await first).drop();

    expect((await offline).code).toBe("connection");
    await online;
    const connection = await second;
    const reply = connection.next(isReplyTo("after"));
    connection.send(discoInfo("after"));
    expect((await reply).attrs.type).toBe("result");
  });

  it("close() ends the link and stops reconnecting, also during a backoff wait", async () => {
    const port = await freePort();
    link = connectComponent(manualComponent(DOMAIN), { service: `xmpp://127.0.0.1:${port}`, domain: DOMAIN, password: SECRET, reconnect: { minDelay: 60_000 } });
    const waiting = new Promise<void>((resolve) => link!.once("reconnecting", () => resolve()));
    await waiting;
    await link.close();
    expect(link.status).toBe("closed");
    expect(((await link.ready.catch((error: unknown) => error)) as ComponentLinkError).code).toBe("closed");
  });
});

const FAST_RECONNECT = { minDelay: 20, maxDelay: 50, maxAttempts: 50 };

const ping = (id: string): Element => xml("iq", { type: "get", id, from: "example.test", to: DOMAIN }, xml("query", { xmlns: NS.discoInfo }));

async function linked(component: Component = createAppServer({ jid: DOMAIN })) {
  server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
  const connected = server.nextAuthenticated();
  const errors: ComponentLinkError[] = [];
  link = connectComponent(component, { service: server.service, domain: DOMAIN, password: SECRET, reconnect: FAST_RECONNECT });
  link.on("error", (error) => errors.push(error));
  await link.ready;
  return { connection: await connected, errors };
}

/**
 * What reaches the app server simulator over the link gets the reference server's treatment:
 * bad bytes end the link (which reconnects), never the process; a bad stanza gets an error, and
 * the link goes on for everyone else.
 */
describe("connectComponent under hostile input from the server side", () => {
  it.each([
    ["an undefined entity", "<message from='a@example.test' to='push.example.test'><body>&x;</body></message>"],
    ["a NUL character reference", "<message from='a@example.test' to='push.example.test'><body>&#0;</body></message>"],
    ["a mismatched end tag", "<message from='a@example.test'></iq>"],
    ["a DOCTYPE", "<!DOCTYPE x [<!ENTITY a 'b'>]>"],
  ])("%s ends that stream, not the process; the link comes back and answers again", async (_title, garbage) => {
    const { connection, errors } = await linked();
    const reconnected = server!.nextAuthenticated();
    connection.send(garbage);
    const again = await reconnected;
    expect(errors.map((error) => error.code)).toContain("connection");
    const reply = again.next(isReplyTo("after"));
    again.send(ping("after"));
    expect((await reply).attrs.type).toBe("result");
  });

  it("a 10⁴-deep IQ gets policy-violation, and the link goes on", async () => {
    const { connection, errors } = await linked();
    const deep = `<iq type='get' id='deep' from='example.test' to='${DOMAIN}'><query xmlns='${NS.discoInfo}'>${"<a>".repeat(10_000)}${"</a>".repeat(10_000)}</query></iq>`;
    const refused = connection.next(isReplyTo("deep"));
    connection.send(deep);
    const answer = await refused;
    expect(answer.attrs.type).toBe("error");
    expect(answer.getChild("error")?.getChild("policy-violation", NS.stanzas)).toBeDefined();
    const reply = connection.next(isReplyTo("next"));
    connection.send(ping("next"));
    expect((await reply).attrs.type).toBe("result");
    expect(errors).toEqual([]);
  });

  it("a component that throws loses that stanza with an error event; the next one gets through", async () => {
    const component = manualComponent(DOMAIN);
    const receive = component.receive.bind(component);
    let throwing = true;
    component.receive = (stanza) => {
      if (throwing) {
        throwing = false;
        throw new Error("component bug");
      }
      receive(stanza);
    };
    const { connection, errors } = await linked(component);
    connection.send(xml("message", { from: "bob@example.test", to: DOMAIN }, xml("body", {}, "first")));
    connection.send(xml("message", { from: "bob@example.test", to: DOMAIN }, xml("body", {}, "second")));
    await expect.poll(() => component.received.map((stanza) => stanza.getChildText("body"))).toEqual(["second"]);
    expect(errors.map((error) => [error.code, error.message])).toEqual([["component", `${DOMAIN} failed on a stanza: component bug`]]);
  });
});

const isKeepAlivePing = (stanza: Element) => stanza.is("iq") && stanza.attrs.type === "get" && stanza.getChild("ping", NS.ping) !== undefined;

/** Answers the component's stanza `request` as a server would: a result from whom it was sent to. */
const resultTo = (request: Element): Element => xml("iq", { type: "result", id: request.attrs.id, from: request.attrs.to, to: request.attrs.from });

/** The link pings a server that has been silent, and a server that does not answer ends the link. */
describe("connectComponent keepalive (XEP-0199 ping to the server)", () => {
  it("a server that completes the handshake and then goes silent: the ping goes unanswered, the link goes offline and reconnects", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const first = server.nextAuthenticated();
    link = connectComponent(manualComponent(DOMAIN), { service: server.service, domain: DOMAIN, password: SECRET, keepAlive: 50, keepAliveTimeout: 100, reconnect: { minDelay: 5 } });
    const events: string[] = [];
    link.on("online", () => events.push("online"));
    link.on("offline", (reason) => events.push(`offline ${reason.code}`));
    link.on("reconnecting", () => events.push("reconnecting"));
    await link.ready;
    const connection = await first;
    const second = server.nextAuthenticated();
    const offline = new Promise<ComponentLinkError>((resolve) => link!.once("offline", resolve));

    // The fake reads the ping and never answers, as a hung server (or a dropped NAT mapping) would.
    const ping = await connection.next(isKeepAlivePing);
    expect(ping.attrs).toMatchObject({ from: DOMAIN, to: "example.test" });
    const reason = await offline;
    expect(reason).toBeInstanceOf(ComponentLinkError);
    expect(reason.code).toBe("keepalive-timeout");
    await second;
    await expect.poll(() => events.slice(0, 4)).toEqual(["online", "offline keepalive-timeout", "reconnecting", "online"]);
  });

  it("a server that answers the pings keeps the link online across several keepalive periods", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const connected = server.nextAuthenticated();
    const component = manualComponent(DOMAIN);
    link = connectComponent(component, { service: server.service, domain: DOMAIN, password: SECRET, keepAlive: 20, keepAliveTimeout: 200 });
    const events: string[] = [];
    link.on("offline", (reason) => events.push(`offline ${reason.code}`));
    link.on("error", (error) => events.push(`error ${error.code}`));
    await link.ready;
    const connection = await connected;

    const ids = new Set<string>();
    for (let answered = 0; answered < 5; answered++) {
      const ping = await connection.next(isKeepAlivePing);
      ids.add(String(ping.attrs.id));
      // One answers with an error: service-unavailable proves the server alive as well as a result.
      connection.send(answered === 2 ? xml("iq", { type: "error", id: ping.attrs.id, from: ping.attrs.to, to: DOMAIN }, buildStanzaError("cancel", "service-unavailable")) : resultTo(ping));
    }
    // A barrier: a message after the last answer reaches the component, so the answers went before it.
    connection.send(xml("message", { from: "bob@example.test", to: DOMAIN }, xml("body", {}, "barrier")));
    await expect.poll(() => component.received.length).toBe(1);
    expect(ids.size).toBe(5);
    expect(link.status).toBe("online");
    expect(events).toEqual([]);
    expect(server.connections).toHaveLength(1);
    // The answers were the link's own: none reached the component.
    expect(component.received.map((stanza) => stanza.name)).toEqual(["message"]);
  });

  it("sends no ping while traffic from the server keeps flowing", async () => {
    const KEEPALIVE = 100;
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const connected = server.nextAuthenticated();
    link = connectComponent(createAppServer({ jid: DOMAIN }), { service: server.service, domain: DOMAIN, password: SECRET, keepAlive: KEEPALIVE, keepAliveTimeout: 1_000 });
    await link.ready;
    const connection = await connected;

    // Round trips back to back, each a few ms at most, for three keepalive periods: the server never falls silent for one.
    const started = performance.now();
    let round = 0;
    while (performance.now() - started < 3 * KEEPALIVE) {
      const id = `busy${round++}`;
      const reply = connection.next(isReplyTo(id));
      connection.send(discoInfo(id));
      await reply;
    }
    expect(round).toBeGreaterThan(3);
    expect(connection.received.filter(isKeepAlivePing)).toEqual([]);

    // Silence then does bring a ping (the same link, so the test above could have seen one).
    await connection.next(isKeepAlivePing);
  });

  it("keepAlive: false (or 0) sends no ping, needs no parent domain, while a link beside it pings", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const quiet = [server.nextAuthenticated(), server.nextAuthenticated()];
    const pinging = server.nextAuthenticated();
    const off = [false, 0] as const;
    const links = off.map((keepAlive) => connectComponent(manualComponent("push"), { service: server!.service, domain: "push", password: SECRET, keepAlive }));
    try {
      await Promise.all(links.map((quietLink) => quietLink.ready));
      const silent = await Promise.all(quiet);
      link = connectComponent(manualComponent(DOMAIN), { service: server.service, domain: DOMAIN, password: SECRET, keepAlive: 20 });
      const busy = await pinging;
      // Three pings answered on the other link: several of its keepalive periods passed.
      for (let answered = 0; answered < 3; answered++) busy.send(resultTo(await busy.next(isKeepAlivePing)));
      expect(silent.map((connection) => connection.received)).toEqual([[], []]);
    } finally {
      await Promise.all(links.map((quietLink) => quietLink.close()));
    }
  });

  it("a dropped link's keepalive ends with it: the next connection's loss is reported as its own", async () => {
    server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
    const first = server.nextAuthenticated();
    link = connectComponent(manualComponent(DOMAIN), { service: server.service, domain: DOMAIN, password: SECRET, keepAlive: 20, keepAliveTimeout: 40, reconnect: { minDelay: 5 } });
    const reasons: string[] = [];
    link.on("offline", (reason) => reasons.push(reason.code));
    await link.ready;
    const second = server.nextAuthenticated();
    (await first).drop();
    const connection = await second;
    // Five answered pings: well past the first connection's ping deadline, had its keepalive lived on.
    for (let answered = 0; answered < 5; answered++) connection.send(resultTo(await connection.next(isKeepAlivePing)));
    const offline = new Promise<ComponentLinkError>((resolve) => link!.once("offline", resolve));
    connection.drop();
    await offline;
    expect(reasons).toEqual(["connection", "connection"]);
  });

  it("a component domain with no parent domain needs keepAliveTo", () => {
    expect(() => connectComponent(manualComponent("push"), { service: "xmpp://127.0.0.1:1", domain: "push", password: SECRET })).toThrow(/keepAliveTo/);
  });
});
