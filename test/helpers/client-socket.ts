import type { Client } from "@xmpp/client";

/** Ends the client's socket without closing the XMPP stream, as a phone losing its network does. */
export function cutSocket(xmpp: Client): void {
  if (!xmpp.socket) throw new Error(`${xmpp.jid?.toString() ?? "the client"} has no socket to cut`);
  xmpp.socket.end();
}
