import type { Element, PushError } from "../../protocol/index.js";
import type { Push2Registration } from "./modules/push2/registry.js";
import type { PushRegistration } from "./modules/push/registry.js";

/** The reference server's public events (`server.on(…)`), raised by the core and its modules. */
export type XmppServerEvents = {
  online: [jid: string];
  offline: [jid: string];
  /** A stream-managed session lost its connection and waits to be resumed. */
  hibernated: [jid: string];
  resumed: [jid: string];
  /**
   * XEP-0198: the server took in an `<a h='…'/>` from a stream-managed session: `h` counts the
   * stanzas the client says it handled since `<enabled/>` (mod 2^32); `unacknowledged` is what the
   * server still holds for it afterwards. An `h` older than the last one, or above what was sent
   * (that ends the stream), raises nothing.
   */
  acked: [jid: string, h: number, unacknowledged: number];
  stored: [account: string, message: Element];
  enabled: [registration: PushRegistration];
  /** A registration went by `<disable/>`, or as the account's least recently enabled past `push.maxRegistrations`. */
  disabled: [registration: PushRegistration];
  published: [registration: PushRegistration, publish: Element];
  "publish-result": [registration: PushRegistration];
  "publish-error": [registration: PushRegistration, error: PushError, removed: boolean];
  /** Push 2.0: a registration was stored (after its signing key imported). */
  "push2-enabled": [registration: Push2Registration];
  /**
   * Push 2.0: a registration went, by `<disable/>`, after an error (its notification's reply, or a
   * key that would not import), or as the account's least recently enabled past `push2.maxRegistrations`.
   */
  "push2-disabled": [registration: Push2Registration, reason: "disable" | "error" | "limit"];
  /** Push 2.0: a notification message went to the push service (again, for a retry). */
  "push2-notified": [registration: Push2Registration, message: Element];
  /** Push 2.0: a notification failed; it is sent again (`retry`), or the registration is gone (`removed`), or it is given up (`dropped`). */
  "push2-error": [registration: Push2Registration, error: PushError, outcome: "retry" | "removed" | "dropped"];
  /**
   * A bug, not bad input: a handler threw while processing `stanza` (or a connection's data).
   * The server answered what it could (an IQ gets internal-server-error) and goes on.
   */
  "internal-error": [error: unknown, stanza: Element | undefined];
};
