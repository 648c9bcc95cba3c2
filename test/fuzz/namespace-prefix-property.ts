import fc from "fast-check";
import { runCase } from "./case-problems.js";
import { FRAMINGS } from "./client-framing.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { onFuzzServer } from "./fuzz-server.js";
import { messageToOwnFullJid } from "./own-message-case.js";

/** Undeclared prefixes, and the names with colons that are no qualified name at all (`:x`, `a:b:c`, `x:`). */
const prefixedName = fc.oneof(
  fc.oneof(fc.constantFrom("foo", "stream", "x", "db"), fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/)).filter((name) => !name.startsWith("xml")).map((name) => `${name}:extension`),
  fc.constantFrom(":x", "a:b:c", "x:"),
);

/** Where such a name may stand in a stanza: a child element's name, an attribute of the stanza or of a child. */
const undeclaredPrefix = fc.record({ name: prefixedName, place: fc.constantFrom("child", "stanza-attribute", "child-attribute") }).map(({ name, place }) => {
  if (place === "child") return { inner: `<${name}/>`, attributes: "" };
  if (place === "stanza-attribute") return { inner: "<body>hi</body>", attributes: ` ${name}='1'` };
  return { inner: `<body ${name}='en'>hi</body>`, attributes: "" };
});

export const namespacePrefixes = fuzzProperty(
  "a stanza with an undeclared namespace prefix is refused, never routed on",
  1,
  (log) =>
    onFuzzServer(log, (fuzz) => ({
      property: fc.asyncProperty(fc.record({ framing: fc.constantFrom(...FRAMINGS), stanza: undeclaredPrefix }), async ({ framing, stanza }) => {
        expectNoProblems((await runCase(fuzz.server, messageToOwnFullJid(framing, stanza.inner, stanza.attributes), log)).problems);
      }),
      examples: [{ framing: "rfc7395", stanza: { inner: "<foo:extension/>", attributes: "" } }],
    })),
);
