/**
 * The bare JID of the connection's bound address, as protocol/jid.ts's `bareJid` gives it for the
 * valid JID a server binds (local and domain lower-cased, no trailing dot), without checking it again.
 */
export function bareAddress(jid: string): string {
  const bare = jid.split("/", 1)[0]!.toLowerCase();
  return bare.endsWith(".") ? bare.slice(0, -1) : bare;
}

/** The domain of an account's bare JID. */
export function domainOfAccount(account: string): string {
  return account.slice(account.indexOf("@") + 1);
}
