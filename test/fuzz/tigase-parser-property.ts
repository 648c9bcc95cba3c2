import fc from "fast-check";
import { decryptNotification } from "../../src/client/decrypt-notification.js";
import {
  applyTigaseEnable,
  buildEnable,
  buildEncrypted,
  bytesToBase64,
  type Element,
  parseEncrypted,
  parseTigaseEnable,
  parseTigaseNotification,
  PushError,
  TIGASE_NS,
  type TigaseEncrypted,
  type TigaseEnableOptions,
} from "../../src/protocol/index.js";
import { descendantsAndSelf, mutatedElement } from "./element-mutations.js";
import { describe as describeError } from "./escape-log.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { refusalProblem } from "./parser-properties.js";
import { anyText, randomElement } from "./random-element.js";
import { applyTextEdits, textEdit } from "./text-mutations.js";

const KEY = new Uint8Array(16).fill(9);
const KEY_TEXT = bytesToBase64(KEY);
const jid = fc.constantFrom("bob@example.test", "room@muc.example.test", "", "@@");

/** Every Tigase extension a client can ask for (T5–T11), as the SDK writes them, all advertised. */
const enableOptions: fc.Arbitrary<TigaseEnableOptions> = fc.record(
  {
    encrypt: fc.record({ key: fc.constantFrom(KEY_TEXT, "", "short"), maxSize: fc.option(fc.nat(), { nil: undefined }) }, { requiredKeys: ["key"] }),
    ignoreUnknown: fc.boolean(),
    muted: fc.array(jid, { maxLength: 3 }),
    groupchat: fc.array(fc.record({ room: jid, allow: fc.constant("always" as const) }), { maxLength: 2 }),
    away: fc.boolean(),
    priority: fc.boolean(),
    jingle: fc.boolean(),
  },
  { requiredKeys: [] },
);

const tigaseElement: fc.Arbitrary<Element> = fc.oneof(
  enableOptions.map((options) => {
    const enable = buildEnable({ jid: "push.example.test", node: "n" });
    applyTigaseEnable(enable, options, Object.values(TIGASE_NS));
    return enable;
  }),
  fc.record({ iv: fc.oneof(fc.base64String(), anyText), payload: fc.oneof(fc.base64String(), anyText), type: fc.option(fc.constantFrom("voip", ""), { nil: undefined }) }).map(buildEncrypted),
);

/** The plaintext of an encrypted push: Tigase's fields with the types it writes, others, nulls, and text that is no JSON object. */
const notificationText: fc.Arbitrary<string> = fc.oneof(
  fc
    .record(
      {
        unread: fc.oneof(fc.nat(), fc.constant(null), fc.double(), fc.string()),
        sender: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
        type: fc.oneof(fc.constantFrom("chat", "groupchat", "call"), fc.constant(null), fc.boolean()),
        message: fc.oneof(fc.string(), fc.constant(null)),
        nickname: fc.string(),
        sid: fc.string(),
        media: fc.oneof(fc.array(fc.string(), { maxLength: 2 }), fc.array(fc.integer(), { minLength: 1, maxLength: 2 }), fc.constant(null)),
        features: fc.array(fc.string(), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((record) => JSON.stringify(record)),
  fc.json(),
  anyText,
  fc.constantFrom("", "null", "[]", "{", '{"unread":1e400}', '{"__proto__":{"unread":"x"}}'),
);

async function sealed(text: string, ivBytes: number): Promise<TigaseEncrypted> {
  const iv = crypto.getRandomValues(new Uint8Array(ivBytes));
  const key = await crypto.subtle.importKey("raw", KEY, "AES-GCM", false, ["encrypt"]);
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, tagLength: 128 }, key, new TextEncoder().encode(text));
  return { iv: bytesToBase64(iv), payload: bytesToBase64(new Uint8Array(data)) };
}

function elementProblems(root: Element): string[] {
  const problems: string[] = [];
  for (const element of descendantsAndSelf(root).slice(0, 30)) {
    for (const [name, parse] of [["parseTigaseEnable", parseTigaseEnable], ["parseEncrypted", parseEncrypted]] as const) {
      const problem = refusalProblem(name, () => parse(element));
      if (problem) problems.push(`${problem}\n  on ${element.toString().slice(0, 400)}`);
    }
  }
  return problems;
}

export const tigaseParsers = fuzzProperty("Tigase enable, encrypted and notification parsers on random and mutated input: return or throw PushError", 4, () => ({
  property: fc.property(fc.tuple(fc.oneof({ arbitrary: mutatedElement(tigaseElement), weight: 3 }, randomElement), notificationText), ([element, text]) =>
    expectNoProblems([...elementProblems(element), refusalProblem("parseTigaseNotification", () => parseTigaseNotification(text))].filter((problem): problem is string => problem !== undefined)),
  ),
}));

const decryptCase = fc.record({
  text: notificationText,
  ivBytes: fc.constantFrom(12, 12, 16),
  /** An IV of a length Tigase never used, in place of the one the push was sealed with. */
  otherIv: fc.option(fc.constantFrom(bytesToBase64(new Uint8Array(8)), bytesToBase64(new Uint8Array(32)), ""), { nil: undefined, freq: 8 }),
  keyText: fc.oneof({ arbitrary: fc.constant(KEY_TEXT), weight: 4 }, fc.constantFrom(undefined, "", bytesToBase64(new Uint8Array(16)), bytesToBase64(new Uint8Array(32)), "!!")),
  asElement: fc.boolean(),
  ivEdits: fc.array(textEdit, { maxLength: 1 }),
  payloadEdits: fc.option(fc.array(textEdit, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 2 }),
});

/**
 * decryptNotification on pushes sealed with the registration's key, then damaged or not: it
 * returns or throws PushError, and an undamaged push under the right key reads as
 * parseTigaseNotification reads its plaintext.
 */
export const decryptNotifications = fuzzProperty("decryptNotification on sealed, damaged and foreign pushes: returns or throws PushError", 3, () => ({
  property: fc.asyncProperty(decryptCase, async ({ text, ivBytes, otherIv, keyText, asElement, ivEdits, payloadEdits }) => {
    const original = await sealed(text, ivBytes);
    const encrypted: TigaseEncrypted = {
      iv: applyTextEdits(otherIv ?? original.iv, ivEdits).text,
      payload: payloadEdits ? applyTextEdits(original.payload, payloadEdits).text : original.payload,
    };
    const registration = keyText === undefined ? {} : { tigase: { encryptionKey: keyText } };
    let outcome: { value: unknown } | { error: unknown };
    try {
      outcome = { value: await decryptNotification(registration, asElement ? buildEncrypted(encrypted) : encrypted) };
    } catch (error) {
      outcome = { error };
    }
    if ("error" in outcome) {
      if (!(outcome.error instanceof PushError)) throw new Error(`decryptNotification threw ${describeError(outcome.error)}`);
      return;
    }
    const undamaged = otherIv === undefined && ivEdits.length === 0 && payloadEdits === undefined && keyText === KEY_TEXT;
    if (undamaged) {
      const expected = parseTigaseNotification(text);
      if (JSON.stringify(outcome.value) !== JSON.stringify(expected)) throw new Error(`decrypted ${JSON.stringify(outcome.value)}, the plaintext reads ${JSON.stringify(expected)}`);
    }
  }),
}));
