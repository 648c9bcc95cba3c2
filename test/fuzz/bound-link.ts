import { type Element, parseXml } from "../../src/protocol/index.js";
import type { LinkAcceptor, ServerSession } from "../../src/sim/index.js";
import { clientFooter, clientHeader } from "./client-framing.js";
import { guarded, nextMacrotask } from "./drive-case.js";
import type { EscapeLog } from "./escape-log.js";
import { bindRequest, plainAuth, type Username } from "./login-stanzas.js";
import { RecordingLink } from "./recording-link.js";

/** How long a bound client waits for an answer that comes after a few promise steps (the app server's). */
const ASYNC_ANSWER_MS = 1_000;

/**
 * A client session over RFC 7395 on a secure link, logged in with PLAIN and bound, all
 * synchronously: each frame the server sends is one element, so that answers can be parsed.
 */
export class BoundLink {
  readonly link = new RecordingLink("rfc7395", true);
  readonly session: ServerSession | undefined;

  constructor(
    server: LinkAcceptor,
    readonly username: Username,
    readonly resource: string,
    private readonly log: EscapeLog,
  ) {
    this.session = guarded(log, "accept", () => server.accept(this.link));
    for (const data of [clientHeader("rfc7395"), plainAuth(username), clientHeader("rfc7395"), bindRequest(`${resource}-bind`, resource)]) this.receive(data);
  }

  get jid(): string {
    return `${this.username}@example.test/${this.resource}`;
  }

  /** Whether the server bound the session and has not closed the link. */
  get open(): boolean {
    return !this.link.closed && this.link.sent.some((frame) => frame.includes(`id="${this.resource}-bind"`) && frame.includes('type="result"'));
  }

  receive(data: string): void {
    if (this.session) guarded(this.log, "receive", () => this.session?.receive(data));
  }

  send(stanza: Element): void {
    this.receive(stanza.toString());
  }

  /** Sends an IQ and waits (a few macrotasks, at most a second) for its answer; undefined when none came. */
  async request(iq: Element): Promise<Element | undefined> {
    const id = String(iq.attrs.id);
    this.send(iq);
    const deadline = performance.now() + ASYNC_ANSWER_MS;
    for (;;) {
      const answer = this.answersTo(id)[0];
      if (answer || this.link.closed || performance.now() > deadline) return answer;
      await nextMacrotask();
    }
  }

  /** The elements the server sent after the stream was set up, parsed. */
  stanzas(): Element[] {
    return this.link.sent.flatMap((frame) => {
      if (!frame.startsWith("<iq") && !frame.startsWith("<message") && !frame.startsWith("<presence")) return [];
      try {
        return [parseXml(frame)];
      } catch {
        return [];
      }
    });
  }

  /** The IQ results and errors with this id the client got. */
  answersTo(id: string): Element[] {
    return this.stanzas().filter((stanza) => stanza.name === "iq" && stanza.attrs.id === id && (stanza.attrs.type === "result" || stanza.attrs.type === "error"));
  }

  /** Closes the stream and drops the socket, as a client that goes away does. */
  end(): void {
    if (!this.link.closed) this.receive(clientFooter("rfc7395"));
    if (this.session) guarded(this.log, "disconnected", () => this.session?.disconnected());
  }
}
