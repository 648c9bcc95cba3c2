import {
  buildCommandResponse,
  type CommandRequest,
  type CommandResponse,
  type Element,
  type Jid,
  parseCommandRequest,
  PushError,
  randomHex,
} from "../../protocol/index.js";
import type { CommandSession } from "./command-sessions.js";
import { LIST_COMMAND, providerOfCommand, UNREGISTER_COMMAND } from "./command-nodes.js";
import { type AppServerContext, requesterOf } from "./context.js";
import { badPayload, refusal } from "./iq-errors.js";
import { listRegistrations } from "./list-command.js";
import { registerDevice, registrationResult } from "./register-command.js";
import { registrationForm } from "./registration-form.js";
import { unregisterDevices } from "./unregister-command.js";

/** Answers a XEP-0050 `<command>` with the response `<command>`; refusals throw `PushError`s. */
export async function executeCommand(context: AppServerContext, iq: Element, command: Element): Promise<Element> {
  const requester = requesterOf(iq);
  const request = parseRequest(command);
  const target = commandAt(context, request.node);

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

  if (target.kind === "list") {
    return respond({ node: request.node, status: "completed", sessionid, form: listRegistrations(context, requester) });
  }
  if (target.kind === "unregister") {
    return respond({ node: request.node, status: "completed", sessionid, form: await unregisterDevices(context, requester, request.form) });
  }
  if (!request.form) {
    if (session) throw badPayload("submit the registration form to complete the command");
    const opened = context.sessions.open(request.node, requester.toString());
    return respond({
      node: request.node,
      status: "executing",
      sessionid: opened.id,
      actions: { allowed: ["complete"], default: "complete" },
      form: registrationForm(target.provider),
    });
  }
  const registration = await registerDevice(context, target.provider, requester, request.form);
  context.sessions.close(sessionid);
  return respond({ node: request.node, status: "completed", sessionid, form: registrationResult(context, registration) });
}

type CommandTarget = { kind: "list" } | { kind: "unregister" } | { kind: "register"; provider: string };

function commandAt(context: AppServerContext, node: string): CommandTarget {
  if (node === LIST_COMMAND) return { kind: "list" };
  if (node === UNREGISTER_COMMAND) return { kind: "unregister" };
  const provider = providerOfCommand(node, context.providers);
  if (provider === undefined) throw refusal("item-not-found", `no command '${node}'`, { type: "cancel" });
  return { kind: "register", provider };
}

function parseRequest(command: Element): CommandRequest {
  try {
    return parseCommandRequest(command);
  } catch (error) {
    // parseCommandRequest marks its own action errors; anything else is the embedded form failing to parse.
    if (error instanceof PushError && error.specific === undefined) throw badPayload(error.message);
    throw error;
  }
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
