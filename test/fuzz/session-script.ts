import { base64ToBytes, buildEnable, buildIq, bytesToBase64 } from "../../src/protocol/index.js";
import { APP_SERVER_JID } from "./fuzz-server.js";
import type { Framing } from "./recording-link.js";
import { scramClientFinal } from "./scram-client.js";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const NS_SM = "urn:xmpp:sm:3";

/** What part of the session a turn is, for reports and for properties that treat some differently. */
export type TurnRole = "header" | "sasl" | "bind" | "stream-management" | "stanza" | "footer";

/**
 * What a client sends in one turn. Plain data, so that fast-check can print and replay a failing
 * script; the two that depend on the server's earlier answers are computed while it runs.
 */
export type TurnContent =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "scram-final"; readonly username: string; readonly password: string; readonly nonce: string }
  | { readonly kind: "sm-resume"; readonly h: number }
  | { readonly kind: "push-enable"; readonly id: string };

export interface Turn {
  readonly role: TurnRole;
  readonly content: TurnContent;
  /** The client waits for the server's answer before it sends more (SASL: RFC 6120 §6.4.6). */
  readonly awaitsAnswer: boolean;
}

export interface ConnectionScript {
  readonly username: string;
  readonly turns: readonly Turn[];
  /** After its turns the client drops the connection, or keeps it open until the case ends. */
  readonly ending: "drop" | "keep";
}

/** One or more client connections to a server, one after the other. */
export interface SessionScript {
  readonly framing: Framing;
  readonly secure: boolean;
  readonly connections: readonly ConnectionScript[];
}

/** What a turn's text may depend on: the server's output to this connection and to the earlier ones. */
export interface TurnContext {
  readonly output: readonly string[];
  readonly earlierOutput: readonly string[];
}

export function text(role: TurnRole, value: string, awaitsAnswer = false): Turn {
  return { role, content: { kind: "text", text: value }, awaitsAnswer };
}

export function renderTurn(content: TurnContent, context: TurnContext): string {
  switch (content.kind) {
    case "text":
      return content.text;
    case "scram-final":
      return `<response xmlns='${NS_SASL}'>${scramResponse(content, context.output) ?? "="}</response>`;
    case "sm-resume":
      return `<resume xmlns='${NS_SM}' previd='${lastStreamId(context.earlierOutput) ?? "unknown"}' h='${content.h}'/>`;
    case "push-enable":
      return pushEnable(content.id, context.output);
  }
}

/** XEP-0357 enable with the node and secret the app server's registration command answered. */
function pushEnable(id: string, output: readonly string[]): string {
  const node = lastMatch(output, /<field var="node"[^>]*><value>([^<]+)<\/value>/) ?? "unregistered";
  const secret = lastMatch(output, /<field var="secret"[^>]*><value>([^<]+)<\/value>/) ?? "none";
  return buildIq({ type: "set", id }, buildEnable({ jid: APP_SERVER_JID, node, publishOptions: { secret } })).toString();
}

function scramResponse(content: Extract<TurnContent, { kind: "scram-final" }>, output: readonly string[]): string | undefined {
  const challenge = lastMatch(output, /<challenge xmlns="urn:ietf:params:xml:ns:xmpp-sasl">([^<]*)<\/challenge>/);
  const bytes = challenge === undefined ? undefined : base64ToBytes(challenge);
  if (!bytes) return undefined;
  const final = scramClientFinal(content.username, content.password, content.nonce, new TextDecoder().decode(bytes));
  return final === undefined ? undefined : bytesToBase64(new TextEncoder().encode(final));
}

/** The XEP-0198 id of the last resumable stream the server enabled. */
function lastStreamId(output: readonly string[]): string | undefined {
  return lastMatch(output, /<enabled xmlns="urn:xmpp:sm:3" id="([^"]+)"/);
}

function lastMatch(output: readonly string[], pattern: RegExp): string | undefined {
  for (let index = output.length - 1; index >= 0; index--) {
    const match = pattern.exec(output[index] ?? "");
    if (match) return match[1];
  }
  return undefined;
}
