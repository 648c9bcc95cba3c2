import { buildResultReply, type Element, errorReplyFor } from "../../src/protocol/index.js";
import type { Component, SendStanza } from "../../src/sim/index.js";

/**
 * A push service whose answers a test scripts: `answer` returns the reply payload for each IQ
 * (or `undefined` to stay silent). Stands in for app servers that behave unlike ours.
 */
export function scriptedComponent(jid: string, answer: (iq: Element) => Element | "silent" | undefined): Component & { requests: Element[] } {
  let send: SendStanza | undefined;
  const requests: Element[] = [];
  return {
    jid,
    requests,
    connect(link) {
      send = link;
      return () => {
        send = undefined;
      };
    },
    receive(iq) {
      if (iq.name !== "iq" || (iq.attrs.type !== "get" && iq.attrs.type !== "set")) return;
      requests.push(iq);
      let reply: Element;
      try {
        const payload = answer(iq);
        if (payload === "silent") return;
        reply = buildResultReply(iq, payload);
      } catch (error) {
        reply = errorReplyFor(iq, error);
      }
      send?.(reply);
    },
  };
}
