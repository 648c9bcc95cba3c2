import fc from "fast-check";
import {
  buildCommandRequest,
  buildDiscoInfoQuery,
  buildDiscoItemsQuery,
  buildIq,
  buildNotification,
  buildPublish,
  bytesToBase64Url,
  type Element,
  type FormType,
  formFromValues,
  NS,
} from "../../src/protocol/index.js";
import { LIST_COMMAND, registerCommandNode, UNREGISTER_COMMAND } from "../../src/sim/app-server/command-nodes.js";
import { DEFAULT_PROVIDERS } from "../../src/sim/index.js";
import { APP_SERVER_JID, DOMAIN } from "./fuzz-server.js";

/** What earlier answers told the client: the open command session, the registration's node and secret. */
export interface AppServerMemory {
  sessionid?: string;
  node?: string;
  secret?: string;
}

/** A request to the app server, in terms of what the client learnt so far; made into an IQ when it is sent. */
export type AppServerRequest = (memory: AppServerMemory, id: string) => Element;

const REQUESTERS = [`alice@${DOMAIN}/phone`, `alice@${DOMAIN}/laptop`, `bob@${DOMAIN}/phone`, `alice@${DOMAIN}`, DOMAIN, "push.example.test", "bad@@jid", undefined];
const requester = fc.oneof({ arbitrary: fc.constant(REQUESTERS[0]), weight: 6 }, { arbitrary: fc.constantFrom(...REQUESTERS), weight: 1 });
const PUBLISHERS = [`alice@${DOMAIN}`, DOMAIN, `alice@${DOMAIN}/phone`, `bob@${DOMAIN}`, "elsewhere.test", undefined];

const provider = fc.constantFrom(...DEFAULT_PROVIDERS, "unknown");
const word = fc.stringMatching(/^[a-z0-9-]{1,12}$/);

/** Valid Web Push subscription fields, and broken ones. */
const webPushFields = fc.record({
  endpoint: fc.constantFrom("https://push.example/send/1", "http://localhost:1/x", "not a url", ""),
  p256dh: fc.constantFrom(bytesToBase64Url(Uint8Array.from({ length: 65 }, (_, index) => (index === 0 ? 4 : index))), "AAAA", "!!"),
  auth: fc.constantFrom(bytesToBase64Url(new Uint8Array(16)), "short"),
});

const registrationFields = fc.record(
  { token: word, "device-id": word, "device-name": word, "silent-push": fc.constantFrom("1", "0", "maybe"), "application-id": word, webPush: webPushFields },
  { requiredKeys: [] },
);

const commandAction = fc.constantFrom(undefined, "execute", "complete", "next", "prev", "cancel", "bogus");

function iq(type: "get" | "set", from: string | undefined, id: string, payload: Element): Element {
  return buildIq({ type, to: APP_SERVER_JID, from, id }, payload);
}

const discoRequest: fc.Arbitrary<AppServerRequest> = fc
  .record({ from: requester, items: fc.boolean(), node: fc.constantFrom(undefined, NS.commands, LIST_COMMAND, registerCommandNode("apns"), "nowhere") })
  .map(({ from, items, node }) => (_memory, id) => iq("get", from, id, items ? buildDiscoItemsQuery(node) : buildDiscoInfoQuery(node)));

const registerRequest: fc.Arbitrary<AppServerRequest> = fc
  .record({ from: requester, provider, fields: registrationFields, withForm: fc.boolean(), continueSession: fc.boolean(), action: commandAction, formType: fc.constantFrom<FormType>("submit", "form", "cancel") })
  .map(({ from, provider: name, fields, withForm, continueSession, action, formType }) => (memory, id) => {
    const { webPush, ...plain } = fields;
    const values = { ...plain, ...(name === "webpush" ? webPush : {}) };
    const form = withForm ? formFromValues(formType, undefined, values) : undefined;
    const command = buildCommandRequest({ node: registerCommandNode(name), sessionid: continueSession ? memory.sessionid : undefined, form });
    // Any action, the invalid one included; none means the default, execute.
    if (action === undefined) delete command.attrs.action;
    else command.attrs.action = action;
    return iq("set", from, id, command);
  });

const listOrUnregisterRequest: fc.Arbitrary<AppServerRequest> = fc
  .record({ from: requester, list: fc.boolean(), byNode: fc.boolean(), deviceId: fc.option(word, { nil: undefined }) })
  .map(({ from, list, byNode, deviceId }) => (memory, id) => {
    if (list) return iq("set", from, id, buildCommandRequest({ node: LIST_COMMAND }));
    const form = formFromValues("submit", undefined, { nodes: byNode && memory.node ? [memory.node] : undefined, "device-id": deviceId });
    return iq("set", from, id, buildCommandRequest({ node: UNREGISTER_COMMAND, form }));
  });

/** True three times in four: a publish that names what the registration answered reaches the provider often enough. */
const mostly = fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 });

const publishRequest: fc.Arbitrary<AppServerRequest> = fc
  .record({ from: fc.constantFrom(...PUBLISHERS), knownNode: mostly, knownSecret: mostly, count: fc.nat(), body: fc.string({ maxLength: 20 }), withItem: mostly })
  .map(({ from, knownNode, knownSecret, count, body, withItem }) => (memory, id) => {
    const node = (knownNode && memory.node) || "unknown-node";
    const secret = (knownSecret && memory.secret) || "wrong";
    const pubsub = buildPublish({
      node,
      payload: withItem ? buildNotification({ summary: { messageCount: count, lastMessageBody: body } }) : undefined,
      publishOptions: formFromValues("submit", NS.publishOptions, { secret }),
    });
    return iq("set", from, id, pubsub);
  });

/** What the XMPP server routes to the app server: disco, the registration commands, publishes. */
export const appServerRequest: fc.Arbitrary<AppServerRequest> = fc.oneof(discoRequest, { arbitrary: registerRequest, weight: 3 }, listOrUnregisterRequest, { arbitrary: publishRequest, weight: 2 });

/** Learns the session id, node and secret an answer carries. */
export function remember(memory: AppServerMemory, reply: Element): void {
  const command = reply.getChild("command", NS.commands);
  const sessionid = command?.attrs.sessionid;
  if (typeof sessionid === "string") memory.sessionid = sessionid;
  for (const field of command?.getChild("x", NS.dataForms)?.getChildren("field") ?? []) {
    const value = field.getChildText("value");
    if (value === null) continue;
    if (field.attrs.var === "node") memory.node = value;
    if (field.attrs.var === "secret") memory.secret = value;
  }
}
