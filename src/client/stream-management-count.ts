import type { Element } from "../protocol/index.js";

/** The part of an @xmpp/client connection the count correction touches. */
export interface StreamManagedConnection {
  on(event: "send" | "element" | "stanza", listener: (element: Element) => void): unknown;
  /** Needed to read `h` before the connection's own handlers see a stanza; without it nothing is corrected. */
  prependListener?(event: "element", listener: (element: Element) => void): unknown;
  removeListener?(event: "send" | "element" | "stanza", listener: (element: Element) => void): unknown;
  /** XEP-0198 state; `inbound` is the `h` the connection acknowledges. */
  readonly streamManagement?: { enabled: boolean; inbound: number } | undefined;
}

/** Requests whose replies are still awaited; the oldest are forgotten past this (their replies then go uncorrected). */
const MAX_AWAITED = 1000;

/**
 * Works around @xmpp/client 0.14, whose IQ caller takes the replies to its own requests out of
 * the middleware chain before stream management counts them: the `h` it acknowledges comes up
 * short, so the server holds every later stanza as unacknowledged, pushes for messages the app
 * already has when the connection drops and stores them offline again at a clean `stop()`.
 *
 * It detects the bug on every reply instead of trusting a version: `h` is read just before the
 * connection handles a reply to a request sent on it, and again once the connection is done with
 * that stanza. Only when `h` did not move (and stream management is on) is one added. A client
 * that counts its replies itself, or a second correction on the same connection, moves `h`
 * first, so nothing is counted twice; no other stanza is ever added.
 *
 * `PushClient` applies it by default (`streamManagementFix`); call it yourself for IQs sent
 * before a `PushClient` exists or without one. Returns a function that removes it.
 */
export function countIqRepliesInStreamManagement(xmpp: StreamManagedConnection): () => void {
  if (!xmpp.streamManagement || typeof xmpp.prependListener !== "function") return () => undefined;
  // Ids outlive a stream on purpose: after a resumption the server resends unacknowledged
  // replies, and counts them on the new stream. `h` itself is reset by the client per stream.
  const awaiting = new Set<string>();
  let countBefore: number | undefined;

  const onSend = (element: Element): void => {
    const id = idOf(element, "get", "set");
    if (id === undefined) return;
    awaiting.add(id);
    if (awaiting.size > MAX_AWAITED) awaiting.delete(awaiting.values().next().value as string);
  };
  const beforeHandlers = (element: Element): void => {
    const id = idOf(element, "result", "error");
    countBefore = id !== undefined && awaiting.has(id) ? xmpp.streamManagement?.inbound : undefined;
  };
  const afterHandlers = (element: Element): void => {
    const before = countBefore;
    countBefore = undefined;
    const id = idOf(element, "result", "error");
    if (id === undefined || !awaiting.delete(id) || before === undefined) return;
    const sm = xmpp.streamManagement;
    if (!sm?.enabled || sm.inbound !== before) return;
    sm.inbound = (before + 1) % 2 ** 32;
  };

  xmpp.on("send", onSend);
  xmpp.prependListener("element", beforeHandlers);
  // "stanza" comes after every "element" listener: the widest window in which the client counts.
  xmpp.on("stanza", afterHandlers);
  return () => {
    xmpp.removeListener?.("send", onSend);
    xmpp.removeListener?.("element", beforeHandlers);
    xmpp.removeListener?.("stanza", afterHandlers);
  };
}

function idOf(element: Element, ...types: string[]): string | undefined {
  const { type, id } = element.attrs;
  return element.name === "iq" && types.includes(type as string) && typeof id === "string" ? id : undefined;
}
