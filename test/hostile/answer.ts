import type { Ending, Wire } from "./wire.js";

const NS_STREAMS = "urn:ietf:params:xml:ns:xmpp-streams";
const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/**
 * What a server answered on a connection, in one short line for tests and the robustness table:
 * `stream error <condition>` (with an application condition such as `+ stanza-too-big`),
 * `SASL failure <condition>`, or how the connection ended (`WebSocket closed <code>`, `closed`,
 * `still open`), after the first stanza error if one came (`message error <condition>; still open`).
 */
export function answerOf(received: string, ending: Ending | undefined): string {
  // A stanza's <error/> is no stream error: only the streams namespace's (prefixed, as every server writes it) is.
  const streamError = /<stream:error[^>]*>([\s\S]*?)<\/stream:error>/.exec(received);
  if (streamError) {
    const body = streamError[1] ?? "";
    const condition = new RegExp(`<([a-z-]+)[^>]*xmlns=['"]${NS_STREAMS}['"]`).exec(body.replace(/<text[\s\S]*?<\/text>/g, ""))?.[1] ?? "unknown";
    const application = /<([a-z-]+)[^>]*xmlns=['"](?:urn:xmpp:errors|urn:xmpp:sm:3)['"]/.exec(body)?.[1];
    return `stream error ${condition}${application ? ` + ${application}` : ""}`;
  }
  const failure = /<failure[^>]*urn:ietf:params:xml:ns:xmpp-sasl[^>]*>\s*<([a-z-]+)/.exec(received);
  if (failure) return `SASL failure ${failure[1]}`;
  const stanzaError = stanzaErrorOf(received);
  return stanzaError ? `${stanzaError}; ${endingOf(ending)}` : endingOf(ending);
}

function endingOf(ending: Ending | undefined): string {
  if (ending?.wsCode !== undefined && ending.wsCode !== 1000 && ending.wsCode !== 1005) return `WebSocket closed ${ending.wsCode}`;
  return ending ? "closed" : "still open";
}

/** The first stanza of type error, as `<kind> error <condition>`. */
function stanzaErrorOf(received: string): string | undefined {
  const stanza = /<(message|presence|iq)\b[^>]*\btype=['"]error['"][^>]*>([\s\S]*?)<\/\1>/.exec(received);
  if (!stanza) return undefined;
  const condition = new RegExp(`<([a-z-]+)[^>]*xmlns=['"]${NS_STANZAS}['"]`).exec((stanza[2] ?? "").replace(/<text[\s\S]*?<\/text>/g, ""))?.[1] ?? "unknown";
  return `${stanza[1]} error ${condition}`;
}

/** Waits up to `timeout` ms for the server to end the connection, then reads its answer. */
export async function settle(wire: Wire, timeout: number): Promise<string> {
  const ended = await wire.waitForEnd(timeout);
  return answerOf(wire.received, ended ? await wire.ended : undefined);
}
