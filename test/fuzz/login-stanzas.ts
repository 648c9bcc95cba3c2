import { buildCommandRequest, buildIq, bytesToBase64, formFromValues, xml } from "../../src/protocol/index.js";
import { registerCommandNode } from "../../src/sim/app-server/command-nodes.js";
import { APP_SERVER_JID, USERS } from "./fuzz-server.js";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind";

export type Username = keyof typeof USERS;

function base64(value: string): string {
  return bytesToBase64(new TextEncoder().encode(value));
}

/** SASL PLAIN with the account's password (RFC 4616), optionally naming the account as authzid. */
export function plainAuth(username: Username, authzid = ""): string {
  return `<auth xmlns='${NS_SASL}' mechanism='PLAIN'>${base64(`${authzid}\0${username}\0${USERS[username]}`)}</auth>`;
}

/** The first SCRAM-SHA-1 message, already in its `<auth/>`. */
export function scramAuth(clientFirst: string): string {
  return `<auth xmlns='${NS_SASL}' mechanism='SCRAM-SHA-1'>${base64(clientFirst)}</auth>`;
}

export function bindRequest(id: string, resource: string): string {
  return xml("iq", { type: "set", id }, xml("bind", { xmlns: NS_BIND }, xml("resource", {}, resource))).toString();
}

/** A single-stage registration of an APNS device at the app server (royneary mod_push's command). */
export function registerCommand(id: string): string {
  const form = formFromValues("submit", undefined, { token: "device-token", "device-name": "fuzz" });
  return buildIq({ type: "set", to: APP_SERVER_JID, id }, buildCommandRequest({ node: registerCommandNode("apns"), form })).toString();
}
