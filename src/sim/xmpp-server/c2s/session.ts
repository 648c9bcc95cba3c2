import { buildErrorReply, buildStanzaError, type Element, NS, toJid, xml } from "../../../protocol/index.js";
import type { ServerHost } from "../host.js";
import type { ClientSession, SaslExchange, StanzaFilter } from "../module.js";
import { fromClient } from "../routing.js";
import { macrotask } from "../../transport/macrotask.js";
import type { Connection } from "./connection.js";
import { type SaslOutcome, SaslNegotiation, type SaslStep } from "./sasl.js";
import { NS_STREAM, StreamError, type StreamErrorCondition } from "./stream-error.js";

const NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind";
const MAX_AUTH_ATTEMPTS = 3;

type Phase = "connected" | "authenticated" | "bound" | "closed";

/**
 * One client session (RFC 6120): the stream header, SASL, resource binding, then stanzas handed to
 * routing and nonzas to the modules that hooked them. It outlives its connection when a module
 * keeps it (XEP-0198 hibernation) and can continue on a new one.
 */
export class Session implements ClientSession {
  readonly filters: { readonly in: StanzaFilter[]; readonly out: StanzaFilter[] } = { in: [], out: [] };
  username: string | undefined;
  account: string | undefined;
  jid: string | undefined;
  available = false;
  #phase: Phase = "connected";
  #connection: Connection | undefined;
  readonly #host: ServerHost;
  readonly #sasl: SaslNegotiation;
  #authFailures = 0;
  /** The client has opened the stream (or restarted it after SASL), so its elements count. */
  #streamOpen = false;
  /** Elements that arrived while an asynchronous SASL step ran, handled in order after it. */
  #held: Element[] | undefined;

  constructor(host: ServerHost, connection: Connection) {
    this.#host = host;
    this.#connection = connection;
    this.#sasl = new SaslNegotiation(
      { domain: host.domain, verify: (username, password) => host.accounts.verify(username, password), password: (username) => host.accounts.password(username) },
      connection.secure,
    );
  }

  get bound(): boolean {
    return this.#phase === "bound";
  }

  get connected(): boolean {
    return this.#connection !== undefined;
  }

  // From the connection

  streamOpened(header: Element): void {
    const connection = this.#connection;
    if (!connection) return;
    connection.openStream();
    this.#streamOpen = true;
    const to = header.attrs.to;
    if (typeof to === "string" && to.toLowerCase() !== this.#host.domain) {
      this.streamError("host-unknown", `this server serves ${this.#host.domain}`);
      return;
    }
    connection.send(this.#features());
  }

  #features(): Element {
    const features = xml("stream:features", { "xmlns:stream": NS_STREAM });
    const phase = this.#phase;
    if (phase === "connected") features.append(this.#sasl.mechanisms());
    else if (phase === "authenticated") features.append(xml("bind", { xmlns: NS_BIND }));
    if (phase !== "closed") this.#host.fire("stream-features", { session: this, features, phase });
    return features;
  }

  receive(element: Element): void {
    if (this.#held) {
      this.#held.push(element);
      return;
    }
    try {
      this.#dispatch(element);
    } catch (error) {
      this.#host.emit("internal-error", error, element);
      const type = element.attrs.type;
      if (element.name === "iq" && (type === "get" || type === "set") && this.bound) {
        this.#connection?.send(buildErrorReply(element, buildStanzaError("cancel", "internal-server-error")));
      }
    }
  }

  connectionLost(connection: Connection): void {
    if (connection !== this.#connection) return;
    this.#connection = undefined;
    if (this.#phase === "bound" && this.#host.fire("pre-resource-unbind", { session: this }) === true) return;
    this.#end();
  }

  // ClientSession

  send(stanza: Element): void {
    if (this.#phase === "closed") return;
    stanza.attrs.xmlns ??= NS.client;
    let outgoing: Element | undefined = stanza;
    for (const filter of this.filters.out) {
      outgoing = filter(outgoing);
      if (!outgoing) return;
    }
    this.#connection?.send(outgoing);
  }

  write(element: Element): void {
    this.#connection?.send(element);
  }

  whenWritable(ready: () => void): void {
    if (this.#connection) this.#connection.whenWritable(ready);
    else macrotask(ready);
  }

  streamError(condition: StreamErrorCondition | StreamError, text?: string): void {
    if (this.#phase === "closed") return;
    this.#connection?.sendStreamError(condition instanceof StreamError ? condition : new StreamError(condition, text));
    this.#end();
  }

  /** Closes the stream (the client closed its side, or the server ends the session). */
  close(): void {
    if (this.#phase === "closed") return;
    this.#connection?.close();
    this.#end();
  }

  destroy(): void {
    this.close();
  }

  get sasl(): SaslExchange | undefined {
    if (this.#phase !== "connected" || !this.#connection) return undefined;
    const sasl = this.#sasl;
    return {
      mechanisms: sasl.mechanismNames,
      expectsResponse: sasl.expectsResponse,
      start: (mechanism, initialResponse, settled) => this.#runSasl(sasl.start(mechanism, initialResponse), settled),
      respond: (response, settled) => this.#runSasl(sasl.respond(response), settled),
      abort: (settled) => this.#runSasl(sasl.abort(), settled),
    };
  }

  bindResource(resource: string | undefined): string | undefined {
    const account = this.account;
    if (this.#phase !== "authenticated" || !account) throw new Error("only an authenticated, unbound session can bind a resource");
    if (resource !== undefined && !isResourcepart(account, resource)) return undefined;
    this.jid = this.#host.bind(this, account, resource);
    this.#phase = "bound";
    this.#host.fire("resource-bind", { session: this });
    return this.jid;
  }

  resumeWith(successor: ClientSession): void {
    if (!(successor instanceof Session) || successor === this || successor.account !== this.account) {
      throw new Error("only a new session of the same account can resume this one");
    }
    const connection = successor.#connection;
    if (!connection || successor.#phase !== "authenticated") throw new Error("the resuming session must be authenticated and unbound");
    successor.#phase = "closed";
    successor.#connection = undefined;
    this.#connection?.close();
    this.#connection = connection;
    connection.session = this;
  }

  // Negotiation

  #dispatch(element: Element): void {
    // RFC 7395 frames can come before <open/>, or between <success/> and the restart: nothing counts there.
    if (!this.#streamOpen) {
      this.streamError("bad-format", "open the stream first");
      return;
    }
    switch (this.#phase) {
      case "connected":
        this.#authenticate(element);
        return;
      case "authenticated":
        if (element.name === "iq" && element.getChild("bind", NS_BIND)) this.#bind(element);
        else if (!this.#nonza(element)) this.streamError("not-authorized", "authenticate and bind a resource first");
        return;
      case "bound":
        if (isStanza(element)) this.#stanza(element);
        else if (!this.#nonza(element)) this.streamError("unsupported-stanza-type");
        return;
      default:
        return;
    }
  }

  #stanza(stanza: Element): void {
    let incoming: Element | undefined = stanza;
    for (const filter of this.filters.in) {
      incoming = filter(incoming);
      if (!incoming) return;
    }
    fromClient(this.#host, this, incoming);
  }

  /** Hands a nonza to the module that hooked `stanza/<namespace>:<name>`; false when none did. */
  #nonza(element: Element): boolean {
    const xmlns = element.getNS();
    if (typeof xmlns !== "string") return false;
    return this.#host.fire(`stanza/${xmlns}:${element.getName()}`, { session: this, element }) !== undefined;
  }

  #authenticate(element: Element): void {
    const step = this.#sasl.step(element);
    if (step === undefined) {
      // Another SASL profile (XEP-0388) is a module's, hooked like any nonza.
      if (!this.#nonza(element)) this.streamError("not-authorized", "authenticate first");
      return;
    }
    if (!(step instanceof Promise)) {
      this.#applySasl(step);
      return;
    }
    this.#held = [];
    void step.then((settled) => {
      this.#applySasl(settled);
      const held = this.#held ?? [];
      this.#held = undefined;
      for (const next of held) this.receive(next);
    });
  }

  /**
   * One XEP-0388 step (the module frames it): what the client sends meanwhile waits. On success
   * the session is authenticated before `settled` runs, with no stream restart, and the features
   * of the new state follow what `settled` sent (XEP-0388 §2.6.1).
   */
  #runSasl(outcome: SaslOutcome | Promise<SaslOutcome>, settled: (outcome: SaslOutcome) => void): void {
    const apply = (result: SaslOutcome): void => {
      const connection = this.#connection;
      if (this.#phase !== "connected" || !connection) return;
      if (result.kind === "success") {
        this.#authenticated(result.username, false);
        settled(result);
        connection.send(this.#features());
        return;
      }
      settled(result);
      if (result.kind === "failure" && ++this.#authFailures >= MAX_AUTH_ATTEMPTS) this.close();
    };
    if (!(outcome instanceof Promise)) {
      apply(outcome);
      return;
    }
    this.#held ??= [];
    void outcome.then((result) => {
      apply(result);
      const held = this.#held ?? [];
      this.#held = undefined;
      for (const next of held) this.receive(next);
    });
  }

  #authenticated(username: string, restart: boolean): void {
    this.username = username;
    this.account = this.#host.accountOf(username);
    this.#phase = "authenticated";
    if (restart) this.#streamOpen = false;
    this.#connection?.authenticated(restart);
  }

  #applySasl(step: SaslStep): void {
    const connection = this.#connection;
    if (this.#phase !== "connected" || !connection) return;
    connection.send(step.element);
    if (step.kind === "success") {
      this.#authenticated(step.username, true);
    } else if (step.kind === "failure" && ++this.#authFailures >= MAX_AUTH_ATTEMPTS) {
      this.close();
    }
  }

  #bind(iq: Element): void {
    const account = this.account;
    if (iq.attrs.type !== "set" || !account) {
      this.streamError("not-authorized", "bind with an IQ set");
      return;
    }
    const requested = iq.getChild("bind", NS_BIND)?.getChildText("resource")?.trim() || undefined;
    if (requested !== undefined && !isResourcepart(account, requested)) {
      // RFC 6120 §7.7.2.1: a resource that cannot be a resourcepart is refused, the stream goes on.
      this.#connection?.send(buildErrorReply(iq, buildStanzaError("modify", "bad-request", { text: "not a valid resource" })));
      return;
    }
    this.jid = this.#host.bind(this, account, requested);
    this.#phase = "bound";
    this.#connection?.send(xml("iq", { xmlns: NS.client, type: "result", id: iq.attrs.id }, xml("bind", { xmlns: NS_BIND }, xml("jid", {}, this.jid))));
    this.#host.fire("resource-bind", { session: this });
  }

  #end(): void {
    if (this.#phase === "closed") return;
    const wasBound = this.#phase === "bound";
    this.#phase = "closed";
    this.#connection = undefined;
    this.#held = undefined;
    if (wasBound) this.#host.unbind(this);
  }
}

function isStanza(element: Element): boolean {
  if (element.name !== "iq" && element.name !== "message" && element.name !== "presence") return false;
  const xmlns = element.getNS();
  // Over RFC 6120 stanzas inherit jabber:client from the stream root, which is not their parent here.
  return xmlns === undefined || xmlns === NS.client;
}

function isResourcepart(account: string, resource: string): boolean {
  try {
    return toJid(`${account}/${resource}`).resource === resource;
  } catch {
    return false;
  }
}
