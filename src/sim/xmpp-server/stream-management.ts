import { type Element, randomHex } from "../../protocol/index.js";

export const NS_SM = "urn:xmpp:sm:3";

/** XEP-0198 counters and the queue of stanzas the client has not acknowledged yet. */
export class StreamManagementState {
  readonly id = randomHex(16);
  /** Stanzas handled from the client since `<enable/>`. */
  inbound = 0;
  /** Stanzas sent to the client since `<enabled/>`. */
  outbound = 0;
  readonly unacked: { h: number; stanza: Element; sentAt: number }[] = [];

  sent(stanza: Element, now: number): void {
    this.outbound = (this.outbound + 1) % 2 ** 32;
    this.unacked.push({ h: this.outbound, stanza, sentAt: now });
  }

  /** Drops what the client's `h` acknowledges (XEP-0198 §4; counters wrap at 2^32). */
  acknowledge(h: number): void {
    const unackedCount = (this.outbound - h + 2 ** 32) % 2 ** 32;
    if (unackedCount > this.unacked.length) return;
    this.unacked.splice(0, this.unacked.length - unackedCount);
  }
}
