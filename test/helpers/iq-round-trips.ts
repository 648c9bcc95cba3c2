import type { Client } from "@xmpp/client";
import type { Element } from "../../src/protocol/index.js";

/** The IQ requests a client sent, from its next `online` on, and how many of them had to wait for one another. */
export interface IqRecording {
  /** The `get`/`set` IQs the client sent, in order. */
  readonly requests: Element[];
  /**
   * Sequential round trips: the longest chain of requests in which each was sent after the answer
   * to the one before it had arrived. Requests sent together, before any answer, count once.
   */
  readonly roundTrips: number;
  /** Stops recording; the figures stay as they were. */
  stop(): void;
}

/**
 * Records the client's IQ requests once it is `online` (the login's own IQs, such as resource
 * binding, are not counted). Call before the PushClient is made, so that nothing it sends on
 * `online` is missed. Each request is given the depth 1 + the deepest answer received before it
 * was sent; the round trips are the deepest request.
 */
export function recordIqs(xmpp: Client, options: { fromNextOnline?: boolean } = {}): IqRecording {
  const requests: Element[] = [];
  const depths = new Map<string, number>();
  let recording = options.fromNextOnline === false;
  let answered = 0;
  let roundTrips = 0;
  const onOnline = () => {
    recording = true;
  };
  const onSend = (element: Element) => {
    if (!recording || element.name !== "iq" || (element.attrs.type !== "get" && element.attrs.type !== "set")) return;
    const depth = answered + 1;
    requests.push(element);
    depths.set(String(element.attrs.id), depth);
    roundTrips = Math.max(roundTrips, depth);
  };
  const onElement = (element: Element) => {
    if (element.name !== "iq" || (element.attrs.type !== "result" && element.attrs.type !== "error")) return;
    const depth = depths.get(String(element.attrs.id));
    if (depth !== undefined) answered = Math.max(answered, depth);
  };
  xmpp.on("online", onOnline);
  xmpp.on("send", onSend);
  xmpp.on("element", onElement);
  return {
    requests,
    get roundTrips() {
      return roundTrips;
    },
    stop() {
      xmpp.removeListener("online", onOnline);
      xmpp.removeListener("send", onSend);
      xmpp.removeListener("element", onElement);
    },
  };
}

/** What each request asks and of whom: `query http://jabber.org/protocol/disco#info → example.test` (a command with its node; an enable without its node, which is random). */
export function describeRequests(requests: readonly Element[]): string[] {
  return requests.map((iq) => {
    const child = iq.getChildElements()[0];
    const what = child ? `${child.name} ${String(child.attrs.xmlns ?? "")}${child.attrs.node && child.name !== "enable" ? ` ${String(child.attrs.node)}` : ""}` : "(empty)";
    return `${what} → ${String(iq.attrs.to ?? "(own account)")}`;
  });
}
