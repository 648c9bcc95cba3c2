import fc from "fast-check";
import { buildCommandRequest, buildIq, type FormType, formFromValues } from "../../src/protocol/index.js";
import type { AppServerDialectName } from "../../src/sim/index.js";
import type { AppServerRequest } from "./app-server-requests.js";
import { APP_SERVER_JID, DOMAIN } from "./fuzz-server.js";

/** Which dialects the fuzzed app server speaks: each alone, and all of them in two orders. */
export const dialectSet: fc.Arbitrary<readonly AppServerDialectName[]> = fc.constantFrom<readonly AppServerDialectName[]>(
  ["mod-push"],
  ["p2"],
  ["v1"],
  ["tigase"],
  ["mod-push", "p2", "v1", "tigase"],
  ["tigase", "v1", "p2", "mod-push"],
);

/** The command nodes of p2 (P2-*), v1 (V1-*) and tigase (T2, T3), and near misses. */
const DIALECT_NODES = [
  "register-push-fcm",
  "register-push-apns",
  "unregister-push-fcm",
  "unregister-push-APNS",
  "register-push-",
  "register-push-webpush",
  "v1-register-push",
  "v1-unregister-push",
  "register-device",
  "unregister-device",
];

const REQUESTERS = [`alice@${DOMAIN}/phone`, `bob@${DOMAIN}/phone`, `alice@${DOMAIN}`, DOMAIN, undefined];
const word = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const blankOrWord = fc.oneof(word, fc.constantFrom("", " "));

/** The fields the three dialects read, valid, blank or odd; any subset of them. */
const dialectFields = fc.record(
  {
    token: blankOrWord,
    "device-id": blankOrWord,
    "android-id": word,
    muc: fc.constantFrom(`team@conference.${DOMAIN}`, `team@conference.${DOMAIN}/nick`, "@@", ""),
    type: fc.constantFrom("fcm", "apns", "unknown", ""),
    node: blankOrWord,
    provider: fc.constantFrom("fcm", "tigase:messenger:fcm:1", "tigase:messenger:apns:x", "tigase:messenger::1", "unknown", ""),
    "device-token": blankOrWord,
    "device-second-token": word,
  },
  { requiredKeys: [] },
);

/** What each node needs to succeed, so that registrations are made and then published to or removed. */
function wellFormed(node: string, token: string): Record<string, string> {
  if (node.startsWith("v1-")) return { type: "fcm", node: `v1-${token}`, token };
  if (node.endsWith("-device")) return { provider: "tigase:messenger:fcm:1", "device-token": token };
  return { token, "device-id": `device-${token}` };
}

/** A registration or unregistration command of p2, v1 or tigase, with any action and form; half of them as the dialect wants. */
export const dialectCommandRequest: fc.Arbitrary<AppServerRequest> = fc
  .record({
    from: fc.oneof({ arbitrary: fc.constant(REQUESTERS[0]), weight: 4 }, { arbitrary: fc.constantFrom(...REQUESTERS), weight: 1 }),
    node: fc.constantFrom(...DIALECT_NODES),
    fields: dialectFields,
    valid: fc.boolean(),
    token: fc.constantFrom("t1", "t2"),
    knownNode: fc.boolean(),
    // v1 refuses a field given twice (V1-6).
    twice: fc.option(fc.constantFrom("token", "node", "type"), { nil: undefined, freq: 4 }),
    withForm: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    formType: fc.constantFrom<FormType>("submit", "submit", "form", "cancel"),
    action: fc.constantFrom(undefined, "execute", "execute", "complete", "next", "cancel", "bogus"),
  })
  .map(({ from, node, fields, valid, token, knownNode, twice, withForm, formType, action }) => (memory, id) => {
    if (valid) return buildIq({ type: "set", to: APP_SERVER_JID, from, id }, buildCommandRequest({ node, action: "execute", form: formFromValues("submit", undefined, wellFormed(node, token)) }));
    const values: Record<string, string | string[]> = { ...fields };
    if (knownNode && memory.node) values.node = memory.node;
    if (twice) values[twice] = [String(values[twice] ?? "x"), "y"];
    const command = buildCommandRequest({ node, sessionid: undefined, form: withForm ? formFromValues(formType, undefined, values) : undefined });
    if (action === undefined) delete command.attrs.action;
    else command.attrs.action = action;
    return buildIq({ type: "set", to: APP_SERVER_JID, from, id }, command);
  });
