import {
  buildCommandResponse,
  type CommandRequest,
  type CommandResponse,
  domainOf,
  type Element,
  getValue,
  type Jid,
  type ParsedPublish,
  PushError,
  randomHex,
  toJid,
} from "../../../protocol/index.js";
import type { CommandSession } from "../command-sessions.js";
import { commandList, LIST_COMMAND, providerOfCommand, UNREGISTER_COMMAND } from "../command-nodes.js";
import type { AppServerContext } from "../context.js";
import { badPayload, refusal } from "../iq-errors.js";
import { listRegistrations } from "../list-command.js";
import { registerDevice, registrationResult } from "../register-command.js";
import { registrationForm } from "../registration-form.js";
import type { AppRegistration, ProviderMessage } from "../types.js";
import { unregisterDevices } from "../unregister-command.js";
import type { AppServerDialect, DialectCommandRequest, DialectPublish, ProviderFailure } from "./types.js";

/**
 * royneary mod_push (docs/conformance.md A*): `register-push-<provider>` (two stages: the form,
 * then the submitted form; or one, with the form in the execute), `list-push-registrations`,
 * `unregister-push`; publishes from the owner's server or bare JID with the secret.
 */
export function createModPushDialect(): AppServerDialect {
  return {
    name: "mod-push",
    commands: (context) => commandList(context.providers.keys()),
    handles: (node, context) => node === LIST_COMMAND || node === UNREGISTER_COMMAND || providerOfCommand(node, context.providers) !== undefined,
    execute: executeModPush,
    publish: {
      accept: acceptPublish,
      failed: failedDelivery,
    },
  };
}

async function executeModPush({ context, requester, request }: DialectCommandRequest): Promise<Element> {
  const session = continuedSession(context, request, requester);
  const action = request.action ?? "execute";
  if (!session && action !== "execute") {
    throw refusal("bad-request", `action '${action}' needs a session`, { specific: "bad-sessionid" });
  }
  const sessionid = session?.id ?? randomHex();
  if (action === "cancel") {
    context.sessions.close(sessionid);
    return respond({ node: request.node, status: "canceled", sessionid });
  }
  // Every command here has a single form stage, so there is nothing to go back to.
  if (action === "prev") throw refusal("bad-request", "there is no previous stage", { specific: "bad-action" });

  if (request.node === LIST_COMMAND) {
    return respond({ node: request.node, status: "completed", sessionid, form: listRegistrations(context, requester) });
  }
  if (request.node === UNREGISTER_COMMAND) {
    return respond({ node: request.node, status: "completed", sessionid, form: await unregisterDevices(context, requester, request.form) });
  }
  const provider = providerOfCommand(request.node, context.providers)!;
  if (!request.form) {
    if (session) throw badPayload("submit the registration form to complete the command");
    const opened = context.sessions.open(request.node, requester.toString());
    return respond({
      node: request.node,
      status: "executing",
      sessionid: opened.id,
      actions: { allowed: ["complete"], default: "complete" },
      form: registrationForm(provider),
    });
  }
  const registration = await registerDevice(context, provider, requester, request.form);
  context.sessions.close(sessionid);
  return respond({ node: request.node, status: "completed", sessionid, form: registrationResult(context, registration) });
}

/** The open session a request continues; an unknown one is `bad-sessionid`, a stale one `session-expired`. */
function continuedSession(context: AppServerContext, request: CommandRequest, requester: Jid): CommandSession | undefined {
  if (request.sessionid === undefined) return undefined;
  const lookup = context.sessions.lookup(request.sessionid, request.node, requester.toString());
  if (lookup.found === "unknown") throw refusal("bad-request", "unknown session", { specific: "bad-sessionid" });
  if (lookup.found === "expired") throw refusal("not-allowed", "the session has expired", { specific: "session-expired" });
  return lookup.session;
}

function respond(response: Omit<CommandResponse, "notes">): Element {
  return buildCommandResponse({ ...response, notes: [] });
}

function acceptPublish({ context, from, publish, registration }: DialectPublish): AppRegistration {
  if (!registration) throw refusal("item-not-found", `no push node '${publish.node}'`, { type: "cancel" });
  checkPublisher(from, registration, context.mucPublishers);
  checkSecret(publish, registration);
  return registration;
}

/**
 * The XEP example publishes from the user's bare JID; Prosody and ejabberd publish from their
 * domain. Anyone else, including the user's own full JID, may not push to the node.
 */
function checkPublisher(from: string | undefined, registration: AppRegistration, mucPublishers: readonly string[]): void {
  const publisher = from === undefined ? undefined : toJid(from);
  const isOwner = publisher !== undefined && publisher.resource === "" && publisher.toString() === registration.owner;
  const isOwnersServer =
    publisher !== undefined && publisher.local === "" && publisher.resource === "" && publisher.domain === domainOf(registration.owner);
  // M5, M6: a MUC service the app server trusts (its rooms, its domain) publishes for group chats.
  const isTrustedMuc = publisher !== undefined && publisher.resource === "" && mucPublishers.includes(publisher.domain);
  if (!isOwner && !isOwnersServer && !isTrustedMuc) {
    throw refusal("forbidden", `${from ?? "an unknown sender"} may not publish to this node`, { type: "auth" });
  }
}

/** A6: the secret handed out at registration must come back in the publish-options. */
function checkSecret(publish: ParsedPublish, registration: AppRegistration): void {
  const secret = publish.publishOptions && getValue(publish.publishOptions, "secret");
  if (secret === undefined) throw refusal("not-authorized", "publish-options carry no secret", { type: "auth" });
  if (secret !== registration.secret) throw refusal("not-authorized", "wrong secret", { type: "auth" });
}

/** A transient failure is a `wait` refusal, so servers keep the registration; a rejected token removes it (A8). */
function failedDelivery(context: AppServerContext, message: ProviderMessage, failure: ProviderFailure): PushError {
  if (failure.reason === "transient") {
    const retry = failure.retryAfter === undefined ? "" : `; retry after ${failure.retryAfter} ms`;
    return refusal("resource-constraint", `the ${message.provider} push service is temporarily unavailable${retry}`, { type: "wait" });
  }
  const current = context.registrations.get(message.node);
  if (current && current.token !== message.token) {
    // Re-registered with a new token while this send was under way: the node lives on.
    return refusal("resource-constraint", "the device token changed during delivery", { type: "wait" });
  }
  if (current) {
    context.registrations.delete(current.node);
    context.notify("unregistered", current);
  }
  return refusal("item-not-found", `the ${message.provider} push service rejected the device token; the node was removed`, { type: "cancel" });
}
