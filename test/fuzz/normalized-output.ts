import type { ConnectionRun } from "./drive-case.js";

/**
 * Random stream ids, XEP-0198 ids, SCRAM nonces and salts, delay stamps, push nodes and secrets,
 * resources the server makes up for a bind without one: what differs between two equal runs.
 */
const RANDOM_PARTS: readonly [RegExp, string][] = [
  [/@example\.test\/[0-9a-f]{12}(?=["<])/g, "@example.test/*"],
  [/<value>[0-9a-f]{32}<\/value>/g, "<value>*</value>"],
  [/ (id|previd|sessionid)="[0-9a-f]{16,32}"/g, ' $1="*"'],
  [/ stamp="[^"]*"/g, ' stamp="*"'],
  [/(<challenge xmlns="urn:ietf:params:xml:ns:xmpp-sasl">)[^<]*/g, "$1*"],
  [/(<success xmlns="urn:ietf:params:xml:ns:xmpp-sasl">)[^<]+/g, "$1*"],
  // A stream error's text says which check caught the input first; saxes may report one error in either order by chunking.
  [/(<text xmlns="urn:ietf:params:xml:ns:xmpp-streams">)[^<]*/g, "$1*"],
];

/** Everything the server did on each connection, with the random parts masked. */
export function normalizedOutput(runs: readonly ConnectionRun[]): string[][] {
  return runs.map((run) => [...run.link.sent.map(normalize), ...(run.link.closed ? ["[closed]"] : [])]);
}

function normalize(frame: string): string {
  return RANDOM_PARTS.reduce((text, [pattern, mask]) => text.replace(pattern, mask), frame);
}

/** Where two outputs first differ, or undefined when they are the same. */
export function firstDifference(expected: readonly string[][], actual: readonly string[][]): string | undefined {
  for (let connection = 0; connection < Math.max(expected.length, actual.length); connection++) {
    const want = expected[connection] ?? [];
    const got = actual[connection] ?? [];
    for (let frame = 0; frame < Math.max(want.length, got.length); frame++) {
      if (want[frame] !== got[frame]) {
        return `connection ${connection}, frame ${frame}: whole turns gave ${JSON.stringify(want[frame])}, chunks gave ${JSON.stringify(got[frame])}`;
      }
    }
  }
  return undefined;
}
