import { buildResultReply, type Element, errorReplyFor, iqPayload, PushError } from "../protocol/index.js";

export type IqRequestType = "get" | "set";

/** One IQ request as a handler sees it: the stanza, its single payload, and the caller's context. */
export interface IqRequest<Context> {
  readonly iq: Element;
  readonly payload: Element;
  readonly context: Context;
}

/**
 * Answers a request with the result's payload, or nothing for an empty result. A refusal is a
 * thrown `PushError` carrying the stanza error condition; anything else thrown answers
 * `internal-server-error`.
 */
export type IqHandler<Context> = (request: IqRequest<Context>) => Element | undefined | Promise<Element | undefined>;

/**
 * IQ request handlers by (type, payload namespace, payload name), in the style of xmpp.js's
 * `iqCallee`: the checks every request needs (a get or set, exactly one payload) and the
 * `service-unavailable` default live here, once, for every simulator.
 */
export interface IqRouter<Context> {
  get(xmlns: string, name: string, handler: IqHandler<Context>): this;
  set(xmlns: string, name: string, handler: IqHandler<Context>): this;
  /** The reply to `iq`: a result or an error IQ, synchronously when the handler answers synchronously. Never throws. */
  handle(iq: Element, context: Context): Element | Promise<Element>;
}

export function createIqRouter<Context>(): IqRouter<Context> {
  const handlers = new Map<string, IqHandler<Context>>();

  function register(type: IqRequestType, xmlns: string, name: string, handler: IqHandler<Context>): void {
    const key = keyOf(type, xmlns, name);
    if (handlers.has(key)) throw new Error(`an IQ ${type} handler for <${name} xmlns='${xmlns}'/> is already registered`);
    handlers.set(key, handler);
  }

  const router: IqRouter<Context> = {
    get(xmlns, name, handler) {
      register("get", xmlns, name, handler);
      return router;
    },
    set(xmlns, name, handler) {
      register("set", xmlns, name, handler);
      return router;
    },
    handle(iq, context) {
      let answer: ReturnType<IqHandler<Context>>;
      try {
        answer = dispatch(handlers, iq, context);
      } catch (error) {
        return errorReplyFor(iq, error);
      }
      if (answer instanceof Promise) {
        return answer.then(
          (payload) => buildResultReply(iq, payload),
          (error: unknown) => errorReplyFor(iq, error),
        );
      }
      return buildResultReply(iq, answer);
    },
  };
  return router;
}

function dispatch<Context>(handlers: ReadonlyMap<string, IqHandler<Context>>, iq: Element, context: Context): ReturnType<IqHandler<Context>> {
  const type = iq.attrs.type;
  if (type !== "get" && type !== "set") throw new PushError("bad-request", `not a request IQ (type '${String(type)}')`, { type: "modify" });
  // RFC 6120 §8.2.3: a get or set carries exactly one payload.
  const payload = iqPayload(iq);
  if (!payload) throw new PushError("bad-request", "an IQ request carries exactly one payload element", { type: "modify" });
  const xmlns = payload.getNS();
  const handler = typeof xmlns === "string" ? handlers.get(keyOf(type, xmlns, payload.getName())) : undefined;
  if (!handler) throw new PushError("service-unavailable", `no service for <${payload.name} xmlns='${String(xmlns)}'/>`, { type: "cancel" });
  return handler({ iq, payload, context });
}

function keyOf(type: IqRequestType, xmlns: string, name: string): string {
  return `${type} ${xmlns} ${name}`;
}
