import type { Element } from "../protocol/index.js";
import { hideSecrets } from "./hide-secrets.js";

/** One traced step: a top-level element received or sent, or a change of the connection's status. */
export type TraceEvent =
  | {
      readonly direction: "in" | "out";
      /** The element as XML, credentials replaced by `<hidden/>`. */
      readonly text: string;
      /** A copy of the element with the same credentials hidden. */
      readonly element: Element;
    }
  | {
      readonly direction: "status";
      /** The status and what came with it, e.g. `online bob@example.test/phone`. */
      readonly text: string;
      readonly status: string;
    };

export type TraceLog = (event: TraceEvent) => void;

type TracedEvent = "element" | "send" | "status";

/** The part of a connection tracing listens to; an `@xmpp/client` (or `@xmpp/component`) instance fits as it is. */
export interface TraceableConnection {
  on(event: TracedEvent, listener: (...args: never[]) => void): unknown;
  removeListener(event: TracedEvent, listener: (...args: never[]) => void): unknown;
}

const ARROWS = { in: "←", out: "→", status: "·" } as const;

/** The default log: `console.debug` with an arrow (← received, → sent, · status) and the text. */
const logToConsole: TraceLog = (event) => console.debug(`${ARROWS[event.direction]} ${event.text}`);

/**
 * Passes every element the connection receives and sends, and every status change, to `log`,
 * with SASL exchanges, component handshakes and push secrets hidden. Reads no environment, so it
 * runs unchanged in Node, browsers, Deno (no permission) and React Native. Returns a function that
 * stops tracing.
 *
 * @example
 * const stop = trace(xmpp); // ← <iq type="result" …/> on the console
 * trace(xmpp, ({ direction, text }) => logger.debug(direction, text));
 */
export function trace(xmpp: TraceableConnection, log: TraceLog = logToConsole): () => void {
  const element = (direction: "in" | "out") => (received: Element) => {
    const copy = hideSecrets(received);
    log({ direction, text: copy.toString(), element: copy });
  };
  const status = (name: string, value?: unknown) => {
    const detail = describe(value);
    log({ direction: "status", status: name, text: detail ? `${name} ${detail}` : name });
  };
  // No "error" listener, unlike @xmpp/debug: adding one would change what an unhandled error does.
  const listeners: Array<[TracedEvent, (...args: never[]) => void]> = [
    ["element", element("in")],
    ["send", element("out")],
    ["status", status],
  ];
  for (const [event, listener] of listeners) xmpp.on(event, listener);
  return () => {
    for (const [event, listener] of listeners) xmpp.removeListener(event, listener);
  };
}

/** What a status carries: a service URI, a JID, a stream header, or whether a close was clean. */
function describe(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object" && "clean" in value) {
    const reason = "reason" in value && value.reason ? `: ${String(value.reason)}` : "";
    return `${value.clean ? "clean" : "unclean"}${reason}`;
  }
  return String(value);
}
