import type { Element } from "../protocol/index.js";

/** The part of an @xmpp/client connection the count fix touches. */
export interface StreamManagedConnection {
  on(event: "send" | "element", listener: (element: Element) => void): unknown;
  removeListener?(event: "send" | "element", listener: (element: Element) => void): unknown;
  readonly streamManagement?: { enabled: boolean; inbound: number };
}

/**
 * Works around @xmpp/client 0.14, whose IQ caller takes the replies to its requests before
 * stream management counts them: the `h` it acknowledges comes up short, so a server (Prosody,
 * ejabberd, the reference server) holds every later stanza as unacknowledged — it pushes for
 * messages the app already has when the connection drops, and stores them offline again at
 * logout. This counts exactly the replies to requests sent on this connection. Opt-in, since a
 * fixed @xmpp/client would then count them twice. Returns a function that undoes it.
 */
export function countIqRepliesInStreamManagement(xmpp: StreamManagedConnection): () => void {
  const awaiting = new Set<string>();
  const onSend = (element: Element): void => {
    const { type, id } = element.attrs;
    if (element.name === "iq" && (type === "get" || type === "set") && typeof id === "string") awaiting.add(id);
  };
  const onElement = (element: Element): void => {
    const { type, id } = element.attrs;
    if (element.name !== "iq" || (type !== "result" && type !== "error") || typeof id !== "string" || !awaiting.delete(id)) return;
    const sm = xmpp.streamManagement;
    if (sm?.enabled) sm.inbound = (sm.inbound + 1) % 2 ** 32;
  };
  xmpp.on("send", onSend);
  xmpp.on("element", onElement);
  return () => {
    xmpp.removeListener?.("send", onSend);
    xmpp.removeListener?.("element", onElement);
  };
}
