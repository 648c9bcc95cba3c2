import fc from "fast-check";
import { runCase } from "./case-problems.js";
import type { FuzzCase } from "./fuzz-case.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { onFuzzServer } from "./fuzz-server.js";
import { type SessionScript, text } from "./session-script.js";
import { plainLogin, validSession } from "./valid-session.js";

/** Which `<open/>` the client leaves out: the first one, or the restart after `<success/>`. */
export type MissingOpen = "first" | "restart";

function withoutOpen(script: SessionScript, missing: MissingOpen): SessionScript {
  const [first, ...others] = script.connections;
  if (!first) return script;
  const headers = first.turns.flatMap((turn, index) => (turn.role === "header" ? [index] : []));
  const dropped = missing === "first" ? headers[0] : headers[1];
  return { ...script, connections: [{ ...first, turns: first.turns.filter((_, index) => index !== dropped) }, ...others] };
}

function asFuzzCase(script: SessionScript, missing: MissingOpen): FuzzCase {
  return { script: withoutOpen(script, missing), mutation: undefined, chunkSizes: [], encoding: "text" };
}

/** The shrunk counterexamples: a login and a ping, without the first <open/> or without the restart. */
const LOGIN_AND_PING: SessionScript = {
  framing: "rfc7395",
  secure: true,
  connections: [{ username: "alice", turns: [...plainLogin("rfc7395", "alice", "r"), text("stanza", "<iq type='get' id='ping'><ping xmlns='urn:xmpp:ping'/></iq>")], ending: "drop" }],
};

export const streamOpens = fuzzProperty(
  "over RFC 7395, nothing is handled before the client's <open/>, nor after <success/> before it opens again",
  1,
  (log) =>
    onFuzzServer(log, (fuzz) => ({
      property: fc.asyncProperty(fc.record({ script: validSession("rfc7395", true), missing: fc.constantFrom<MissingOpen>("first", "restart") }), async ({ script, missing }) => {
        expectNoProblems((await runCase(fuzz.server, asFuzzCase(script, missing), log)).problems);
      }),
      examples: [
        { script: LOGIN_AND_PING, missing: "first" },
        { script: LOGIN_AND_PING, missing: "restart" },
      ],
    })),
);
