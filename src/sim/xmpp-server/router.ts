import { buildErrorReply, buildStanzaError, defaultErrorType, type Element, type StanzaErrorCondition, toJid } from "../../protocol/index.js";
import type { Component } from "../component.js";
import type { SessionTable } from "./sessions.js";

/** What routing needs to know about the server. */
export interface RouterContext {
  readonly domain: string;
  readonly sessions: SessionTable;
  accountExists(username: string): boolean;
  component(domain: string): Component | undefined;
  /** Hands a stanza to a component, through serialize → parse as over a component socket. */
  toComponent(component: Component, stanza: Element): void;
  /** Consumes answers to the server's own requests (push publishes). */
  claimReply(iq: Element): boolean;
  accountIq(iq: Element, account: string): Element;
  domainIq(iq: Element): Element;
  /** A message for an account with no available resource (RFC 6121 §8.5.2.2). */
  offline(account: string, message: Element): void;
}

/** Routes one stanza by its `to` (RFC 6120 §10, RFC 6121 §8.5). `sender` is the origin account for client stanzas. */
export function route(context: RouterContext, stanza: Element, sender?: string): void {
  const type = stanza.attrs.type as string | undefined;
  if (stanza.name === "iq" && (type === "result" || type === "error") && context.claimReply(stanza)) return;

  const to = (stanza.attrs.to as string | undefined) ?? sender;
  if (!to) return;
  let target;
  try {
    target = toJid(to);
  } catch {
    bounce(context, stanza, "jid-malformed");
    return;
  }

  if (target.domain !== context.domain) {
    const component = context.component(target.domain);
    if (component) context.toComponent(component, stanza);
    else bounce(context, stanza, "remote-server-not-found");
    return;
  }
  if (!target.local) {
    if (stanza.name === "iq" && (type === "get" || type === "set")) route(context, context.domainIq(stanza));
    return;
  }

  const account = `${target.local}@${context.domain}`;
  if (!context.accountExists(target.local)) {
    bounce(context, stanza, "service-unavailable");
    return;
  }
  if (target.resource) {
    const session = context.sessions.get(`${account}/${target.resource}`);
    if (session?.bound) {
      session.send(stanza);
      return;
    }
    // RFC 6121 §8.5.3.2.1: messages fall back to the bare JID; IQs and presence do not.
    if (stanza.name === "iq") bounce(context, stanza, "service-unavailable");
    if (stanza.name !== "message") return;
  }
  toBareJid(context, stanza, account, sender);
}

function toBareJid(context: RouterContext, stanza: Element, account: string, sender: string | undefined): void {
  const type = stanza.attrs.type as string | undefined;
  if (stanza.name === "iq") {
    if (type !== "get" && type !== "set") return;
    // The server answers for the account, to its owner only (ejabberd does the same for push).
    if (sender === account) route(context, context.accountIq(stanza, account));
    else bounce(context, stanza, "service-unavailable");
    return;
  }
  const available = context.sessions.available(account);
  if (stanza.name === "presence") {
    for (const session of available) session.send(stanza);
    return;
  }
  if (available.length > 0) {
    for (const session of available) session.send(stanza);
    return;
  }
  // RFC 6121 §8.5.2.2.1: groupchat to an account with no available resource bounces.
  if (type === "groupchat") bounce(context, stanza, "service-unavailable");
  else context.offline(account, stanza);
}

/** Returns a stanza to its sender with an error; errors themselves are never answered. */
export function bounce(context: RouterContext, stanza: Element, condition: StanzaErrorCondition): void {
  if (stanza.attrs.type === "error" || stanza.name === "presence" || !stanza.attrs.from) return;
  const reply = buildErrorReply(stanza, buildStanzaError(defaultErrorType(condition), condition));
  reply.attrs.from ??= context.domain;
  route(context, reply);
}
