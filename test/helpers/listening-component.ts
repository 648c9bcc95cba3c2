import type { Element } from "../../src/protocol/index.js";
import type { Component } from "../../src/sim/index.js";

/** Counts every stanza routed to it, answering none: what a shadowed domain receives, or a peer that never answers. */
export function listeningComponent(jid: string): Component & { received: Element[] } {
  const received: Element[] = [];
  return { jid, received, receive: (stanza) => void received.push(stanza), connect: () => () => undefined };
}
