import { type JID, jid as parseJid } from "@xmpp/jid";
import { PushError } from "./errors.js";

export type { JID };

/** Parses a JID; malformed input throws `PushError('jid-malformed')`. */
export function toJid(value: string): JID {
  try {
    return parseJid(value);
  } catch (error) {
    throw new PushError("jid-malformed", `'${value}' is not a valid JID`, { cause: error });
  }
}

export function bareJid(value: string): string {
  return toJid(value).bare().toString();
}

export function domainOf(value: string): string {
  return toJid(value).domain;
}
