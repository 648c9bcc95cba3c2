import fc from "fast-check";
import {
  buildCommandRequest,
  buildCommandResponse,
  buildDisable,
  buildDiscoInfo,
  buildDiscoItems,
  buildEnable,
  buildErrorReply,
  buildForm,
  buildIq,
  buildNotification,
  buildPublish,
  buildStanzaError,
  type DataForm,
  type Element,
  type FormField,
  NS,
  STANZA_ERROR_CONDITIONS,
} from "../../src/protocol/index.js";

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const value = fc.oneof(word, fc.string({ unit: "grapheme", maxLength: 12 }));
const FIELD_TYPES = ["boolean", "fixed", "hidden", "jid-multi", "jid-single", "list-multi", "list-single", "text-multi", "text-private", "text-single"] as const;

const field: fc.Arbitrary<FormField> = fc.record(
  {
    var: fc.oneof(word, fc.constantFrom("secret", "message-count", "last-message-body", "token", "device-id", "nodes", "__proto__")),
    type: fc.constantFrom(...FIELD_TYPES),
    label: word,
    required: fc.boolean(),
    values: fc.array(value, { maxLength: 3 }),
    options: fc.array(fc.record({ value: word }), { maxLength: 2 }),
  },
  { requiredKeys: ["var", "values"] },
);

/** Distinct `var`s, as a valid form has. */
const fields = fc.uniqueArray(field, { selector: (candidate) => candidate.var, maxLength: 5 });

export const dataForm: fc.Arbitrary<DataForm> = fc.record(
  {
    type: fc.constantFrom("form", "submit", "cancel", "result"),
    formType: fc.constantFrom(NS.publishOptions, NS.pushSummary, "urn:other"),
    title: value,
    instructions: fc.array(value, { maxLength: 2 }),
    fields,
    reported: fields,
    items: fc.array(fields, { maxLength: 2 }),
  },
  { requiredKeys: ["type", "fields"] },
);

const jid = fc.constantFrom("push.example.test", "alice@example.test", "alice@example.test/phone", "example.test");

/** Well-formed protocol elements of every kind the parsers read, made with the SDK's own builders. */
export const protocolElement: fc.Arbitrary<Element> = fc.oneof(
  dataForm.map(buildForm),
  fc.record({ jid, node: word, publishOptions: fc.dictionary(word, word, { maxKeys: 3 }) }).map(buildEnable),
  fc.record({ jid, node: fc.option(word, { nil: undefined }) }).map(buildDisable),
  fc.record({ messageCount: fc.nat(), lastMessageBody: value, lastMessageSender: jid }, { requiredKeys: [] }).map((summary) => buildNotification({ summary })),
  fc
    .record({ node: word, itemId: fc.option(word, { nil: undefined }), summary: fc.record({ messageCount: fc.nat() }), options: fc.option(dataForm, { nil: undefined }) })
    .map(({ node, itemId, summary, options }) => buildPublish({ node, itemId, payload: buildNotification({ summary }), publishOptions: options })),
  fc
    .record({ node: word, action: fc.constantFrom("execute", "next", "prev", "complete", "cancel"), sessionid: fc.option(word, { nil: undefined }), form: fc.option(dataForm, { nil: undefined }) })
    .map((request) => buildCommandRequest(request)),
  fc
    .record({ node: word, status: fc.constantFrom("executing", "completed", "canceled"), sessionid: word, form: fc.option(dataForm, { nil: undefined }) })
    .map((response) => buildCommandResponse({ ...response, actions: { allowed: ["complete", "next"], default: "complete" }, notes: [{ type: "info", text: "note" }] })),
  fc
    .record({ node: fc.option(word, { nil: undefined }), features: fc.array(word, { maxLength: 3 }), forms: fc.array(dataForm, { maxLength: 1 }) })
    .map(({ node, features, forms }) => buildDiscoInfo({ node, identities: [{ category: "pubsub", type: "push", name: "n" }], features, forms })),
  fc.record({ node: fc.option(word, { nil: undefined }), jids: fc.array(jid, { maxLength: 3 }) }).map(({ node, jids }) => buildDiscoItems({ node, items: jids.map((item) => ({ jid: item, node: "n" })) })),
  fc
    .record({ condition: fc.constantFrom(...STANZA_ERROR_CONDITIONS), type: fc.constantFrom("auth", "cancel", "continue", "modify", "wait"), text: value })
    .map(({ condition, type, text }) => buildErrorReply(buildIq({ type: "get", id: "1", from: "a@b" }), buildStanzaError(type, condition, { text, specific: { name: "bad-payload", xmlns: NS.commands } }))),
);
