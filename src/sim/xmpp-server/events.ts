import type { Element, PushError } from "../../protocol/index.js";
import type { PushRegistration } from "./modules/push/registry.js";

/** The reference server's public events (`server.on(…)`), raised by the core and its modules. */
export type XmppServerEvents = {
  online: [jid: string];
  offline: [jid: string];
  /** A stream-managed session lost its connection and waits to be resumed. */
  hibernated: [jid: string];
  resumed: [jid: string];
  stored: [account: string, message: Element];
  enabled: [registration: PushRegistration];
  disabled: [registration: PushRegistration];
  published: [registration: PushRegistration, publish: Element];
  "publish-result": [registration: PushRegistration];
  "publish-error": [registration: PushRegistration, error: PushError, removed: boolean];
  /**
   * A bug, not bad input: a handler threw while processing `stanza` (or a connection's data).
   * The server answered what it could (an IQ gets internal-server-error) and goes on.
   */
  "internal-error": [error: unknown, stanza: Element | undefined];
};
