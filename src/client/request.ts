import { type Element, parseStanzaError, PushError } from "../protocol/index.js";
import type { XmppConnection } from "./types.js";

/**
 * Sends an IQ and maps every failure to a `PushError`: an error reply keeps its condition (C5);
 * no answer within `timeout` ms is `timeout` (C6), enforced by our own timer so that nothing
 * the connection does can make the caller hang.
 */
export async function sendRequest(xmpp: XmppConnection, iq: Element, timeout: number): Promise<Element> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onDisconnect: (() => void) | undefined;
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PushError("timeout", `no answer within ${timeout} ms`, { stanza: iq })), timeout);
    // An answer cannot come over a connection that is gone: fail now rather than at the timeout.
    onDisconnect = () => reject(new PushError("disconnected", "the connection dropped before the answer came", { stanza: iq }));
    xmpp.on("disconnect", onDisconnect);
  });
  try {
    const reply = await Promise.race([xmpp.iqCaller.request(iq, timeout + 1000), failure]);
    if (reply.attrs.type === "error") throw parseStanzaError(reply);
    return reply;
  } catch (error) {
    throw toPushError(error, iq);
  } finally {
    clearTimeout(timer);
    if (onDisconnect) xmpp.removeListener?.("disconnect", onDisconnect);
  }
}

function toPushError(error: unknown, iq: Element): PushError {
  if (error instanceof PushError) return error;
  const { name, element } = (error ?? {}) as { name?: string; element?: Element };
  if (name === "StanzaError" && element) return parseStanzaError(element);
  if (name === "TimeoutError") return new PushError("timeout", "no answer in time", { stanza: iq, cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new PushError("disconnected", `request could not be sent: ${message}`, { stanza: iq, cause: error });
}
