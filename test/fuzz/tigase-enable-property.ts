import fc from "fast-check";
import { type Element, parseStanzaError, parseXml } from "../../src/protocol/index.js";
import { BoundLink } from "./bound-link.js";
import { nextMacrotask, settle } from "./drive-case.js";
import { damagedStanza, elementDamage, type ElementDamage } from "./element-mutations.js";
import type { EscapeLog } from "./escape-log.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { createFuzzServer, type FuzzServer } from "./fuzz-server.js";
import { remember } from "./app-server-requests.js";
import { registerCommand } from "./login-stanzas.js";
import { type EnableMemory, messageToEnabled, type TigaseEnable, tigaseEnable } from "./tigase-enable-stanzas.js";
import { outputProblems } from "./well-formed-output.js";

interface TigaseCase {
  readonly registers: boolean;
  readonly enables: readonly (readonly [TigaseEnable, ElementDamage | undefined])[];
  readonly messages: readonly ((to: string) => Element)[];
}

const tigaseCase: fc.Arbitrary<TigaseCase> = fc.record({
  registers: fc.boolean(),
  enables: fc.array(fc.tuple(tigaseEnable, fc.option(elementDamage, { nil: undefined, freq: 3 })), { minLength: 1, maxLength: 4 }),
  messages: fc.array(messageToEnabled, { maxLength: 3 }),
});

/**
 * alice enables (mutated Tigase extensions) and goes away; bob writes to her, so that the push
 * path runs with whatever settings were accepted. Each enable gets one answer, a result or a
 * typed error other than internal-server-error; nothing escapes, the output is well-formed.
 */
async function runTigaseCase(fuzz: FuzzServer, input: TigaseCase, log: EscapeLog): Promise<string[]> {
  const escapedBefore = log.total;
  const problems: string[] = [];
  const alice = new BoundLink(fuzz.server, "alice", "phone", log);
  const memory: EnableMemory = {};
  const registered = input.registers ? await alice.request(parseXml(registerCommand("register"))) : undefined;
  if (registered) remember(memory, registered);
  for (const [index, [enable, damage]] of input.enables.entries()) {
    const { element: iq, text } = damagedStanza(enable(memory, `enable-${index}`), damage);
    alice.receive(text);
    if (!alice.open || iq.name !== "iq" || (iq.attrs.type !== "get" && iq.attrs.type !== "set") || iq.attrs.id !== `enable-${index}`) continue;
    const answers = alice.answersTo(`enable-${index}`);
    if (answers.length !== 1) problems.push(`enable ${index} got ${answers.length} answers: ${text.slice(0, 400)}`);
    const error = answers.find((answer) => answer.attrs.type === "error");
    if (error && parseStanzaError(error).condition === "internal-server-error") problems.push(`enable ${index}: ${error.toString().slice(0, 300)}\n  to ${text.slice(0, 400)}`);
  }
  problems.push(...outputProblems(alice.link));
  alice.end();
  const bob = new BoundLink(fuzz.server, "bob", "laptop", log);
  for (const message of input.messages) bob.send(message("alice@example.test"));
  // Encrypted pushes wait on Web Crypto, which answers off the main thread.
  await settle();
  for (let round = 0; round < 5; round++) await nextMacrotask();
  problems.push(...outputProblems(bob.link));
  bob.end();
  const escaped = log.total - escapedBefore;
  if (escaped > 0) problems.push(`${escaped} exception(s) escaped:\n${log.recent.slice(-escaped).join("\n")}`);
  return problems;
}


export const tigaseEnables = fuzzProperty("preset tigase: mutated <enable> extensions get a result or a typed error, and pushes then run", 3, (log) => {
  const fuzz = createFuzzServer(log, { preset: "tigase" });
  return {
    property: fc.asyncProperty(tigaseCase, async (input) => expectNoProblems(await runTigaseCase(fuzz, input, log))),
    async finish() {
      await fuzz.close();
      return undefined;
    },
  };
});
