import type { Element } from "../protocol/index.js";

/** The part of an @xmpp/client connection the count correction touches. */
export interface StreamManagedConnection {
  on(event: "element" | "stanza", listener: (element: Element) => void): unknown;
  on(event: "disconnect", listener: () => void): unknown;
  /** Needed to look at a stanza before the connection's own handlers do; without it nothing is corrected. */
  prependListener?(event: "element", listener: (element: Element) => void): unknown;
  removeListener?(event: "element" | "stanza", listener: (element: Element) => void): unknown;
  removeListener?(event: "disconnect", listener: () => void): unknown;
  /** XEP-0198 state; `inbound` is the `h` the connection acknowledges. */
  readonly streamManagement?: { enabled: boolean; inbound: number } | undefined;
}

const NS_SM = "urn:xmpp:sm:3";
const NS_SASL2 = "urn:xmpp:sasl:2";
const NS_BIND2 = "urn:xmpp:bind:0";
/** XEP-0198 counters are 32-bit and wrap. */
const WRAP = 2 ** 32;
const STANZAS = new Set(["iq", "message", "presence"]);

/**
 * Keeps the `h` a connection acknowledges equal to the number of stanzas it has received since
 * the server started counting (`<enabled/>`, or `<resumed/>` from the `h` it resumed with).
 * @xmpp/client 0.14 falls below in two ways: its IQ caller takes the replies to its own requests
 * before stream management counts them, and stanzas read together with `<enabled/>` are counted
 * and then reset, since it starts counting only a few ticks later; the IQs an app sends right
 * after `start()` hit both. The server then holds messages the app already has as
 * unacknowledged: it pushes for them when the connection drops and stores them offline again at
 * a clean `stop()`. It also rises above: a stanza read just before `<enabled/>` (the echo of
 * the presence an app sends right after `start()`, which overtakes `<enable/>`) is counted too,
 * and an `<r/>` read in the same read is answered before the reset — Prosody closes the stream
 * for an `h` above what it sent ("The client says it handled 3 new stanzas, but we sent 2"),
 * every time an app joins a room right after `start()`.
 *
 * Detected, not assumed: it compares the client's own count with what was received, before every
 * element is handled and after every stanza, and sets the count (never adds to it), so a client
 * that counts right is never touched and two corrections on one connection agree. Returns a
 * function that removes it.
 */
export function correctStreamManagementCount(xmpp: StreamManagedConnection): () => void {
  const prepend = xmpp.prependListener;
  if (!xmpp.streamManagement || typeof prepend !== "function") return () => undefined;
  /** Stanzas the server has counted on this stream; undefined while it counts none. */
  let received: number | undefined = xmpp.streamManagement.enabled ? xmpp.streamManagement.inbound : undefined;
  let deferred: ReturnType<typeof setTimeout> | undefined;

  /** Sets the client's count to what was received; false while the client has not started counting, as it will then reset it. */
  const correct = (): boolean => {
    const sm = xmpp.streamManagement;
    if (received === undefined || !sm) return true;
    if (sm.inbound !== received) sm.inbound = received;
    return sm.enabled;
  };
  const correctAgainSoon = (): void => {
    deferred ??= setTimeout(() => ((deferred = undefined), correct()), 0);
  };
  const beforeHandlers = (element: Element): void => {
    const inline = inlineStreamManagement(element);
    const sm = element.attrs.xmlns === NS_SM ? element.name : undefined;
    if (inline === "enabled" || sm === "enabled") received = 0;
    else if (inline === "resumed" || sm === "resumed") received = xmpp.streamManagement?.inbound;
    else if (sm === "failed") received = undefined;
    // Before an <r/> is answered, among others; read before the client took <enabled/> in, again after.
    else if (!correct()) correctAgainSoon();
  };
  const afterStanza = (element: Element): void => {
    if (received === undefined || !STANZAS.has(element.name)) return;
    received = (received + 1) % WRAP;
    // Read with <enabled/>: the client starts counting (from zero) once this read is handled.
    if (!correct()) correctAgainSoon();
  };
  const onDisconnect = (): void => {
    received = undefined;
  };

  prepend.call(xmpp, "element", beforeHandlers);
  // "stanza" comes after every "element" listener: the client has counted the stanza by then.
  xmpp.on("stanza", afterStanza);
  xmpp.on("disconnect", onDisconnect);
  return () => {
    clearTimeout(deferred);
    xmpp.removeListener?.("element", beforeHandlers);
    xmpp.removeListener?.("stanza", afterStanza);
    xmpp.removeListener?.("disconnect", onDisconnect);
  };
}

/**
 * XEP-0198 inside a XEP-0388 `<success/>`: `<enabled/>` in Bind2's `<bound/>` (XEP-0386), or
 * `<resumed/>` inline; the client counts from there as after the top-level element.
 */
function inlineStreamManagement(element: Element): "enabled" | "resumed" | undefined {
  if (element.name !== "success" || element.attrs.xmlns !== NS_SASL2) return undefined;
  if (element.getChild("bound", NS_BIND2)?.getChild("enabled", NS_SM)) return "enabled";
  return element.getChild("resumed", NS_SM) ? "resumed" : undefined;
}
