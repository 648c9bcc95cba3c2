import type { Element } from "../../src/protocol/index.js";
import type { Component, SendStanza } from "../../src/sim/index.js";

/**
 * A component a test drives by hand: it records every stanza it receives and sends only what
 * the test tells it to. Sending while unlinked throws, so a test cannot talk into the void.
 */
export function manualComponent(jid: string): Component & { received: Element[]; send: SendStanza } {
  let link: SendStanza | undefined;
  const received: Element[] = [];
  return {
    jid,
    received,
    send: (stanza) => {
      if (!link) throw new Error(`${jid} is not linked`);
      link(stanza);
    },
    connect(send) {
      link = send;
      return () => {
        link = undefined;
      };
    },
    receive(stanza) {
      received.push(stanza);
    },
  };
}
