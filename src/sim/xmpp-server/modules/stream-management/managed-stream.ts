import { type Element, randomHex, xml } from "../../../../protocol/index.js";
import type { ClientSession, ModuleHost } from "../../module.js";
import { type LongTimeout, setLongTimeout } from "./long-timeout.js";
import type { ResolvedStreamManagement } from "./options.js";

export const NS_SM = "urn:xmpp:sm:3";
/** XEP-0198 counters are 32-bit and wrap. */
const WRAP = 2 ** 32;

interface QueuedStanza {
  stanza: Element;
  sentAt: number;
  /** `smacks-ack-delayed` already fired for it. */
  ackDelayed?: boolean;
}

/** What an `<a h='…'/>` from the client means for the queue. */
export type AckOutcome = "ok" | "stale" | "too-high";

/**
 * XEP-0198 state of one session, with its timers: the count of stanzas handled from the client,
 * the queue of stanzas it has not acknowledged, the ack requests, the ack deadline and the
 * hibernation deadline.
 */
export class ManagedStream {
  readonly id = randomHex(16);
  readonly #session: ClientSession;
  readonly #host: ModuleHost;
  readonly #options: ResolvedStreamManagement;
  readonly resumable: boolean;
  /** Stanzas handled from the client since `<enable/>`. */
  #inbound = 0;
  /** Stanzas sent to the client since `<enabled/>`, acknowledged or not. */
  #outbound = 0;
  readonly #queue: QueuedStanza[] = [];
  #hibernating = false;
  #ackRequested = false;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  #resumeTimer: LongTimeout | undefined;
  #overflowing = false;

  constructor(session: ClientSession, host: ModuleHost, options: ResolvedStreamManagement, resumable: boolean) {
    this.#session = session;
    this.#host = host;
    this.#options = options;
    this.resumable = resumable;
  }

  get session(): ClientSession {
    return this.#session;
  }

  /** Stanzas the client has not acknowledged, oldest first. */
  get unacknowledged(): Element[] {
    return this.#queue.map((entry) => entry.stanza);
  }

  get unacknowledgedCount(): number {
    return this.#queue.length;
  }

  /** The session's `in` filter: every stanza from the client counts. */
  readonly incoming = (stanza: Element): Element => {
    this.#inbound = (this.#inbound + 1) % WRAP;
    return stanza;
  };

  /** The session's `out` filter: every stanza is queued until acknowledged; while hibernating it goes no further. */
  readonly outgoing = (stanza: Element): Element | undefined => {
    this.#outbound = (this.#outbound + 1) % WRAP;
    this.#queue.push({ stanza, sentAt: Date.now() });
    if (this.#queue.length > this.#options.maxQueueSize) this.#overflow();
    if (this.#hibernating) {
      this.#host.fire("smacks-hibernation-stanza-queued", { session: this.#session, stanza });
      return undefined;
    }
    this.#afterSend();
    return stanza;
  };

  enabledElement(): Element {
    return xml("enabled", {
      xmlns: NS_SM,
      id: this.resumable ? this.id : undefined,
      resume: this.resumable ? "true" : undefined,
      max: Math.round(this.#options.resumeTimeout / 1000),
    });
  }

  /** Answers the client's `<r/>`. */
  answerRequest(): void {
    this.#session.write(xml("a", { xmlns: NS_SM, h: this.#inbound }));
  }

  /** Drops what the client's `h` acknowledges (XEP-0198 §4). */
  acknowledge(h: number): AckOutcome {
    const acknowledgedBefore = (this.#outbound - this.#queue.length + WRAP) % WRAP;
    const newlyAcknowledged = (h - acknowledgedBefore + WRAP) % WRAP;
    if (newlyAcknowledged > this.#queue.length) {
      // Forward of what was sent is too high; a wrap-around distance means an h older than the last one.
      return newlyAcknowledged < WRAP / 2 ? "too-high" : "stale";
    }
    this.#queue.splice(0, newlyAcknowledged);
    if (this.#queue.length === 0) {
      clearTimeout(this.#ackTimer);
      this.#ackTimer = undefined;
    }
    return "ok";
  }

  handledCountTooHigh(h: number): Element {
    return xml("handled-count-too-high", { xmlns: NS_SM, h, "send-count": this.#outbound });
  }

  /** The connection dropped: queue everything until a resumption, or until the resume timeout ends the session. */
  hibernate(): void {
    this.#hibernating = true;
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    const pushUser = this.#host.fire("smacks-wait-for-resume", { session: this.#session }) === "push-user";
    this.#resumeTimer = setLongTimeout(() => {
      this.#host.fire("smacks-hibernation-end", { session: this.#session, resumed: false });
      this.#session.destroy();
    }, pushUser ? this.#options.pushResumeTimeout : this.#options.resumeTimeout);
    this.#host.fire("smacks-hibernation-start", { session: this.#session, queue: this.unacknowledged });
  }

  /** The client resumed on a new connection (the session already moved there): confirm and resend what it missed. */
  resumed(): void {
    const wasHibernating = this.#hibernating;
    this.#hibernating = false;
    this.#resumeTimer?.clear();
    this.#resumeTimer = undefined;
    this.#session.write(xml("resumed", { xmlns: NS_SM, previd: this.id, h: this.#inbound }));
    const now = Date.now();
    for (const entry of this.#queue) {
      this.#session.write(entry.stanza);
      // Sent again now: the ack delay starts over.
      entry.sentAt = now;
    }
    if (this.#queue.length > 0) this.#afterSend();
    if (wasHibernating) this.#host.fire("smacks-hibernation-end", { session: this.#session, resumed: true });
  }

  /** The session ended: no timer may outlive it. */
  stop(): void {
    clearTimeout(this.#ackTimer);
    this.#resumeTimer?.clear();
    this.#ackTimer = undefined;
    this.#resumeTimer = undefined;
  }

  /** Asks for an ack once per burst, and watches for stanzas that stay unacknowledged. */
  #afterSend(): void {
    if (!this.#ackRequested) {
      this.#ackRequested = true;
      queueMicrotask(() => {
        this.#ackRequested = false;
        if (!this.#hibernating && this.#session.connected) this.#session.write(xml("r", { xmlns: NS_SM }));
      });
    }
    this.#watchAcks();
  }

  /**
   * One timer, set for the oldest stanza not yet reported delayed: each stanza is reported at
   * its own `ackDelay` (PT5), not at the end of a period another stanza started (up to twice as late).
   */
  #watchAcks(): void {
    if (this.#ackTimer) return;
    const next = this.#queue.find((entry) => !entry.ackDelayed);
    if (!next) return;
    this.#ackTimer = setTimeout(() => this.#ackOverdue(), Math.max(0, next.sentAt + this.#options.ackDelay - Date.now()));
  }

  #ackOverdue(): void {
    this.#ackTimer = undefined;
    if (this.#hibernating || !this.#session.connected) return;
    const deadline = Date.now() - this.#options.ackDelay;
    const overdue = this.#queue.filter((entry) => !entry.ackDelayed && entry.sentAt <= deadline);
    for (const entry of overdue) entry.ackDelayed = true;
    if (overdue.length > 0) this.#host.fire("smacks-ack-delayed", { session: this.#session, stanzas: overdue.map((entry) => entry.stanza) });
    this.#watchAcks();
  }

  /** Too much unacknowledged: the session ends (its messages go offline), once the current send is done. */
  #overflow(): void {
    if (this.#overflowing) return;
    this.#overflowing = true;
    queueMicrotask(() => {
      if (this.#hibernating) this.#session.destroy();
      else this.#session.streamError("policy-violation", `more than ${this.#options.maxQueueSize} stanzas unacknowledged`);
    });
  }
}
