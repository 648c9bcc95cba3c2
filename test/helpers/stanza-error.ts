import type { Client } from "@xmpp/client";
import { expect } from "vitest";
import { type Element, NS, parseStanzaError } from "../../src/protocol/index.js";

export interface StanzaErrorReading {
  type: string | undefined;
  /** The RFC 6120 defined condition. */
  condition: string;
  /** The application-specific condition element's name, if any (XEP-0050's bad-sessionid, pubsub's nodeid-required…). */
  specific: string | undefined;
  /** The `<text/>`, or the condition when there is none. */
  text: string;
}

/** Reads the `<error/>` of an error stanza; fails the test when `stanza` is not an error. */
export function errorOf(stanza: Element | undefined): StanzaErrorReading {
  expect(stanza?.attrs.type).toBe("error");
  if (!stanza) throw new Error("no stanza to read an error from");
  const error = parseStanzaError(stanza);
  return { type: error.type, condition: error.condition, specific: error.specific, text: error.message };
}

/** The XEP-0050 specific condition element of an error reply, checked with its namespace. */
export function commandsSpecific(reply: Element): string | undefined {
  return reply
    .getChild("error")
    ?.getChildElements()
    .find((child) => child.attrs.xmlns === NS.commands)?.name;
}

/** Sends `iq` and resolves with the stanza error @xmpp/client rejects it with; rejects when the request succeeds. */
export async function iqError(xmpp: Client, iq: Element): Promise<{ condition: string; type: string | undefined; name: string }> {
  try {
    await xmpp.iqCaller.request(iq);
  } catch (error) {
    const { condition, type, name } = error as { condition: string; type: string | undefined; name: string };
    return { condition, type, name };
  }
  throw new Error(`expected an error reply to ${iq.toString()}`);
}
