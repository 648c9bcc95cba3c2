import type { FuzzCase } from "./fuzz-case.js";
import type { Framing } from "./recording-link.js";
import { text } from "./session-script.js";
import { plainLogin } from "./valid-session.js";

/** A case where alice logs in and sends to her own full JID a message holding `inner`: the server routes it straight back. */
export function messageToOwnFullJid(framing: Framing, inner: string, attributes = ""): FuzzCase {
  const stanza = `<message to='alice@example.test/r' type='chat'${attributes}>${inner}</message>`;
  return {
    script: { framing, secure: true, connections: [{ username: "alice", turns: [...plainLogin(framing, "alice", "r"), text("stanza", stanza)], ending: "keep" }] },
    mutation: undefined,
    chunkSizes: [],
    encoding: "text",
  };
}
