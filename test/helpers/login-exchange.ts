import type { Element } from "../../src/protocol/index.js";
import type { SimulatedClient } from "../../src/sim/index.js";

/** What one client login exchanged, element by element, up to `online`. */
export interface LoginExchange {
  /** Top-level elements the client sent before it was online (stream headers not counted). */
  readonly sent: Element[];
  /** Top-level elements the client read before it was online (stream headers not counted). */
  readonly received: Element[];
  /** How often the client wrote and then waited for the server's answer (the stream header's turn counts). */
  readonly roundTrips: number;
}

const HEADERS = new Set(["open", "stream:stream", "stream", "close"]);

/**
 * Records a login: call before `start()`, await the result after it. Round trips are counted as
 * turns: each time what the client wrote (an element or its stream header) is followed by
 * something from the server.
 */
export function recordLogin(xmpp: SimulatedClient): Promise<LoginExchange> {
  const sent: Element[] = [];
  const received: Element[] = [];
  let online = false;
  let roundTrips = 0;
  let clientSpokeLast = false;
  const onOutput = () => {
    clientSpokeLast = true;
  };
  const onInput = () => {
    if (online || !clientSpokeLast) return;
    roundTrips += 1;
    clientSpokeLast = false;
  };
  const onSend = (element: Element) => {
    if (online) return;
    onOutput();
    if (!HEADERS.has(element.name)) sent.push(element);
  };
  const onElement = (element: Element) => {
    if (online) return;
    onInput();
    if (!HEADERS.has(element.name)) received.push(element);
  };
  // The stream headers: the client's "opening" (it writes its header), the server's "open" (its header arrived).
  const onStatus = (status: string) => {
    if (status === "opening") onOutput();
    else if (status === "open") onInput();
  };
  xmpp.on("send", onSend);
  xmpp.on("element", onElement);
  xmpp.on("status", onStatus);
  return new Promise((resolve) => {
    xmpp.once("online", () => {
      online = true;
      xmpp.off("send", onSend);
      xmpp.off("element", onElement);
      xmpp.off("status", onStatus);
      resolve({ sent, received, roundTrips });
    });
  });
}
