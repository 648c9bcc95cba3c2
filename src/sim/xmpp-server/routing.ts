import { buildErrorReply, buildStanzaError, defaultErrorType, type Element, NS, type StanzaErrorCondition, toJid } from "../../protocol/index.js";
import type { Session } from "./c2s/session.js";
import type { ServerHost } from "./host.js";
import { isChatOrNormal } from "./message-rules.js";
import type { IqScope } from "./module.js";

/** A stanza from a client's bound session: stamped with its full JID (a spoofed `from` is overwritten), then routed. */
export function fromClient(host: ServerHost, session: Session, stanza: Element): void {
  stanza.attrs.from = session.jid;
  if (stanza.name === "presence" && !stanza.attrs.to) {
    ownPresence(host, session, stanza);
    return;
  }
  if (stanza.name === "message" && host.fire(hasResource(stanza.attrs.to) ? "pre-message/full" : "pre-message/bare", { session, stanza }) !== undefined) return;
  if (stanza.name === "presence" && host.fire("pre-presence/directed", { session, stanza }) !== undefined) return;
  route(host, stanza, session.account);
}

/** Routes one stanza by its `to` (RFC 6120 §10, RFC 6121 §8.5). `sender` is the origin account for client stanzas. */
export function route(host: ServerHost, stanza: Element, sender?: string): void {
  const type = stanza.attrs.type as string | undefined;
  if (stanza.name === "iq" && (type === "result" || type === "error") && host.requests.claim(stanza)) return;

  const to = (stanza.attrs.to as string | undefined) ?? sender;
  if (!to) return;
  let target;
  try {
    target = toJid(to);
  } catch {
    bounce(host, stanza, "jid-malformed");
    return;
  }

  if (target.domain !== host.domain) {
    const component = host.component(target.domain);
    // In-process, like routing inside one server: the stanza is handed over, not copied. Routing is
    // its last use here (Component.receive), so nothing the server holds can change under the component.
    if (component) component.receive(stanza);
    else bounce(host, stanza, "remote-server-not-found");
    return;
  }
  if (!target.local) {
    const component = host.hostComponent();
    if (stanza.name === "iq" && (type === "get" || type === "set")) {
      if (component && isCommandRequest(stanza)) component.receive(stanza);
      else answerIq(host, "host", stanza, sender);
      return;
    }
    if (stanza.name === "message" && host.fire("message/host", { stanza }) !== undefined) return;
    // An app server at the domain (royneary's register_host) hears the answers to its own requests
    // and the push service's forwarded notifications there; the server itself takes neither.
    if (component && stanza.name !== "presence") component.receive(stanza);
    return;
  }

  const account = `${target.local}@${host.domain}`;
  if (!host.accountExists(target.local)) {
    bounce(host, stanza, "service-unavailable");
    return;
  }
  if (target.resource) {
    const session = host.sessions.get(`${account}/${target.resource}`);
    if (session?.bound) {
      if (stanza.name === "message") host.fire("message/full", { account, stanza });
      session.send(stanza);
      return;
    }
    // RFC 6121 §8.5.3.2.1: messages fall back to the bare JID; IQs and presence do not.
    if (stanza.name === "iq") bounce(host, stanza, "service-unavailable");
    if (stanza.name !== "message") return;
  }
  toBareJid(host, stanza, account, sender);
}

function toBareJid(host: ServerHost, stanza: Element, account: string, sender: string | undefined): void {
  if (stanza.name === "iq") {
    const type = stanza.attrs.type;
    if (type !== "get" && type !== "set") return;
    // The server answers for the account, to its owner only (ejabberd does the same for push).
    if (sender === account) answerIq(host, "self", stanza, sender);
    else bounce(host, stanza, "service-unavailable");
    return;
  }
  if (stanza.name === "presence") {
    if (host.fire("presence/bare", { account, stanza }) !== undefined) return;
    for (const session of host.sessions.available(account)) session.send(stanza);
    return;
  }
  if (stanza.name === "message") host.fire("message/bare", { account, stanza });
}

/** The core's delivery of a message to a bare JID: every available resource, else offline handling. */
export function deliverMessage(host: ServerHost, account: string, stanza: Element): true {
  const available = host.sessions.available(account);
  if (available.length > 0) {
    for (const session of available) session.send(stanza);
    return true;
  }
  // RFC 6121 §8.5.2.2.1: groupchat to an account with no available resource bounces, after
  // Prosody's `message/bare/groupchat` (mod_cloud_notify pushes there, M4).
  if (stanza.attrs.type === "groupchat") {
    if (host.fire("message/bare/groupchat", { account, stanza }) === undefined) bounce(host, stanza, "service-unavailable");
  }
  // Without offline storage, chat and normal messages bounce; headlines are dropped (§8.5.2.2.2).
  else if (host.fire("message/offline", { account, stanza }) === undefined && isChatOrNormal(stanza)) {
    bounce(host, stanza, "service-unavailable");
  }
  return true;
}

function answerIq(host: ServerHost, scope: IqScope, iq: Element, sender: string | undefined): void {
  const reply = host.iq[scope].handle(iq, { from: String(iq.attrs.from ?? ""), account: sender });
  if (reply instanceof Promise) void reply.then((answer) => route(host, answer));
  else route(host, reply);
}

function hasResource(to: unknown): boolean {
  return typeof to === "string" && to.includes("/");
}

/** Initial presence makes a session available, and lets what waited offline go out; unavailable ends that. */
function ownPresence(host: ServerHost, session: Session, presence: Element): void {
  const type = presence.attrs.type as string | undefined;
  if (type === "unavailable") {
    session.available = false;
    host.fire("presence/unavailable", { session, stanza: presence });
    return;
  }
  if (type !== undefined || session.available || !session.account) return;
  session.available = true;
  host.fire("message/offline/broadcast", { session, account: session.account });
}

/** Returns a stanza to its sender with an error; errors themselves are never answered. */
export function bounce(host: ServerHost, stanza: Element, condition: StanzaErrorCondition): void {
  if (stanza.attrs.type === "error" || stanza.name === "presence" || !stanza.attrs.from) return;
  const reply = buildErrorReply(stanza, buildStanzaError(defaultErrorType(condition), condition));
  reply.attrs.from ??= host.domain;
  route(host, reply);
}

/** XEP-0050 at the domain: an execution, or the disco query of the commands node (§2.1, §2.2). */
function isCommandRequest(iq: Element): boolean {
  const payload = iq.getChildElements()[0];
  if (!payload) return false;
  if (payload.is("command", NS.commands)) return true;
  return (payload.is("query", NS.discoItems) || payload.is("query", NS.discoInfo)) && payload.attrs.node === NS.commands;
}
