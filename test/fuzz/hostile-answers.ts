import fc from "fast-check";
import { type Element, xml } from "../../src/protocol/index.js";
import type { XmppConnection } from "../../src/index.js";
import { editTree, type TreeEdit, treeEdit } from "./element-mutations.js";
import { randomElement } from "./random-element.js";

/** What the peer in the middle does with one of PushClient's IQ requests and its real answer. */
export type AnswerPlan =
  | { readonly kind: "pass" }
  /** The real answer, result or error, edited; an error comes back as a reply (`asReply`) or as @xmpp/client's StanzaError. */
  | { readonly kind: "edit"; readonly edits: readonly TreeEdit[]; readonly asReply: boolean }
  /** The real answer with one attribute of its payload (the `<command/>`, `<query/>`, …) set or removed: the states a generic edit rarely reaches. */
  | { readonly kind: "payload-attribute"; readonly attribute: string; readonly value: string | undefined }
  /** Any element instead of the answer. */
  | { readonly kind: "replace"; readonly element: Element }
  /** No answer, ever: only PushClient's own timeout ends the wait. */
  | { readonly kind: "silence" }
  /** The connection's request fails with what a library might throw. */
  | { readonly kind: "reject"; readonly error: () => unknown };

/** What a connection's `iqCaller.request` has been seen to throw, or might. */
const FAILURES: readonly (() => unknown)[] = [
  () => Object.assign(new Error("timeout"), { name: "TimeoutError" }),
  () => new Error("socket closed"),
  () => new TypeError("Cannot read properties of undefined (reading 'write')"),
  () => "a string",
  () => undefined,
  () => null,
  () => ({ name: "StanzaError" }),
  () => Object.assign(new Error("bad-request"), { name: "StanzaError", element: xml("error", { type: "modify" }) }),
];

/** XEP-0050's states and their neighbours, the attributes a reader branches on (`undefined`: removed). */
const PAYLOAD_ATTRIBUTES: readonly (readonly [string, string | undefined])[] = [
  ...["executing", "completed", "complete", "canceled", "bogus", undefined].map((value) => ["status", value] as const),
  ...["complete", "next", "execute", undefined].map((value) => ["action", value] as const),
  ...["s1", "", undefined].map((value) => ["sessionid", value] as const),
  ...["other-node", "", undefined].map((value) => ["node", value] as const),
  ["xmlns", "urn:other"],
  ["xmlns", undefined],
];

export const answerPlan: fc.Arbitrary<AnswerPlan> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "pass" as const }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("edit" as const), edits: fc.array(treeEdit, { minLength: 1, maxLength: 3 }), asReply: fc.boolean() }) },
  { weight: 3, arbitrary: fc.constantFrom(...PAYLOAD_ATTRIBUTES).map(([attribute, value]) => ({ kind: "payload-attribute" as const, attribute, value })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replace" as const), element: randomElement }) },
  { weight: 1, arbitrary: fc.constant({ kind: "silence" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reject" as const), error: fc.constantFrom(...FAILURES) }) },
);

interface StanzaErrorLike {
  readonly name: "StanzaError";
  readonly element: Element;
}

function isStanzaError(error: unknown): error is StanzaErrorLike {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "StanzaError" && "element" in error;
}

/**
 * `real` as PushClient sees it through a hostile peer: each IQ request goes out for real, and
 * the next plan decides what comes back; once the plans run out, answers pass unchanged.
 */
export function throughHostilePeer(real: XmppConnection, plans: AnswerPlan[]): XmppConnection {
  const request = async (iq: Element, timeout?: number): Promise<Element> => {
    const plan = plans.shift() ?? { kind: "pass" };
    if (plan.kind === "silence") return new Promise<never>(() => undefined);
    if (plan.kind === "reject") throw plan.error();
    if (plan.kind === "replace") {
      void real.iqCaller.request(iq, timeout).catch(() => undefined);
      return plan.element;
    }
    if (plan.kind === "pass") return real.iqCaller.request(iq, timeout);
    let answer: Element;
    try {
      answer = await real.iqCaller.request(iq, timeout);
    } catch (error) {
      if (!isStanzaError(error) || plan.kind !== "edit") throw error;
      const edited = editTree(xml("iq", { type: "error", id: iq.attrs.id, from: iq.attrs.to }, error.element), plan.edits);
      if (plan.asReply) return edited;
      throw Object.assign(new Error("stanza error"), { name: "StanzaError", element: edited.getChild("error") ?? edited });
    }
    if (plan.kind === "edit") return editTree(answer, plan.edits);
    const payload = answer.getChildElements()[0];
    if (payload && plan.value === undefined) delete payload.attrs[plan.attribute];
    else if (payload) payload.attrs[plan.attribute] = plan.value;
    return answer;
  };
  return {
    get jid() {
      return real.jid;
    },
    get streamManagement() {
      return real.streamManagement;
    },
    iqCaller: { request },
    on: (event, listener) => real.on(event, listener),
    removeListener: (event, listener) => real.removeListener?.(event, listener),
    prependListener: (event, listener) => real.prependListener?.(event, listener),
  };
}
