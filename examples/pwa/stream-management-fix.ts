import type { Client } from "@xmpp/client";
import type { Element } from "../../src/index.js";

/**
 * @xmpp/client 0.14 leaves IQ replies out of its XEP-0198 count of handled stanzas: its IQ caller
 * takes them before stream management sees them. After PushClient's IQs the server then holds
 * every later message as unacknowledged and, when the app logs out, stores it offline again and
 * pushes for it. Counting the replies here keeps `h` right.
 */
export function countIqReplies(xmpp: Client): void {
  xmpp.on("element", (element: Element) => {
    const reply = element.is("iq") && (element.attrs.type === "result" || element.attrs.type === "error");
    if (reply && xmpp.streamManagement.enabled) xmpp.streamManagement.inbound += 1;
  });
}
