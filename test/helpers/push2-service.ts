import { type Element, xml } from "../../src/protocol/index.js";
import type { Component, SendStanza } from "../../src/sim/index.js";

/**
 * A Push 2.0 push service at `jid`: records each notification message, and answers the ones
 * `answer` returns an `<error/>` for with a message error reply (nothing otherwise).
 */
export function push2Service(jid: string, answer: (message: Element, index: number) => Element | undefined = () => undefined): Component & { received: Element[] } {
  let send: SendStanza | undefined;
  const received: Element[] = [];
  return {
    jid,
    received,
    connect(link) {
      send = link;
      return () => void (send = undefined);
    },
    receive(message) {
      if (message.name !== "message") return;
      received.push(message);
      const error = answer(message, received.length - 1);
      if (error) send?.(xml("message", { type: "error", from: message.attrs.to, to: message.attrs.from, id: message.attrs.id }, error));
    },
  };
}
