import { PushError } from "./errors.js";
import { buildForm, type DataForm, parseForm } from "./forms.js";
import { NS } from "./namespaces.js";
import { attr, childrenOf, type Element, xml } from "./xml.js";

/** XEP-0050 actions. */
export type CommandAction = "execute" | "next" | "prev" | "complete" | "cancel";
/** XEP-0050 statuses. */
export type CommandStatus = "executing" | "completed" | "canceled";
export type NoteType = "info" | "warn" | "error";

/** XEP-0050 §4.6 application-specific error conditions. */
export type CommandErrorCondition =
  | "malformed-action"
  | "bad-action"
  | "bad-locale"
  | "bad-payload"
  | "bad-sessionid"
  | "session-expired";

export interface CommandNote {
  type: NoteType;
  text: string;
}

export interface CommandRequest {
  node: string;
  action?: CommandAction;
  sessionid?: string;
  form?: DataForm;
}

export interface CommandResponse {
  node: string;
  status: CommandStatus;
  sessionid?: string;
  /** Actions the responder allows next, and the default one. */
  actions?: { allowed: CommandAction[]; default?: CommandAction };
  form?: DataForm;
  notes: CommandNote[];
}

const ACTIONS: readonly string[] = ["execute", "next", "prev", "complete", "cancel"];
const NEXT_ACTIONS: readonly CommandAction[] = ["prev", "next", "complete"];

export function buildCommandRequest(request: CommandRequest): Element {
  if (!request.node) throw new PushError("bad-request", "a command needs a node");
  const command = xml("command", {
    xmlns: NS.commands,
    node: request.node,
    action: request.action ?? "execute",
    sessionid: request.sessionid,
  });
  if (request.form) command.append(buildForm(request.form));
  return command;
}

/** Parses a request `<command>`; a missing node or unknown action throws `PushError('bad-request')`. */
export function parseCommandRequest(command: Element): CommandRequest {
  assertCommand(command);
  const node = attr(command, "node");
  if (!node) throw new PushError("bad-request", "command without node", { stanza: command, specific: "malformed-action", specificNs: NS.commands });
  const action = attr(command, "action") ?? "execute";
  if (!ACTIONS.includes(action)) {
    throw new PushError("bad-request", `unknown command action '${action}'`, { stanza: command, specific: "malformed-action", specificNs: NS.commands });
  }
  const request: CommandRequest = { node, action: action as CommandAction };
  const sessionid = attr(command, "sessionid");
  if (sessionid) request.sessionid = sessionid;
  const x = command.getChild("x", NS.dataForms);
  if (x) request.form = parseForm(x);
  return request;
}

export function buildCommandResponse(response: CommandResponse): Element {
  if (!response.node) throw new PushError("bad-request", "a command response needs a node");
  const command = xml("command", {
    xmlns: NS.commands,
    node: response.node,
    status: response.status,
    sessionid: response.sessionid,
  });
  if (response.actions) {
    const actions = xml("actions", { execute: response.actions.default });
    for (const action of response.actions.allowed) actions.append(xml(action));
    command.append(actions);
  }
  if (response.form) command.append(buildForm(response.form));
  for (const note of response.notes) command.append(xml("note", { type: note.type }, note.text));
  return command;
}

/**
 * Parses a response `<command>`. Accepts `status='complete'` as `completed`, as
 * mod_push_appserver sends it, and a `<command action='complete'/>` without status as
 * `completed`, as p2 answers its unregister (P2-5).
 */
export function parseCommandResponse(command: Element): CommandResponse {
  assertCommand(command);
  const node = attr(command, "node");
  if (!node) throw new PushError("bad-request", "command response without node", { stanza: command });
  let status = attr(command, "status");
  if (status === "complete" || (status === undefined && attr(command, "action") === "complete")) status = "completed";
  if (status !== "executing" && status !== "completed" && status !== "canceled") {
    throw new PushError("bad-request", `command response has an invalid status '${status ?? ""}'`, { stanza: command });
  }
  const response: CommandResponse = { node, status, notes: [] };
  const sessionid = attr(command, "sessionid");
  if (sessionid) response.sessionid = sessionid;

  const actions = command.getChild("actions");
  if (actions) {
    const allowed = actions
      .getChildElements()
      .map((child) => child.name)
      .filter((name): name is CommandAction => NEXT_ACTIONS.includes(name as CommandAction));
    const preferred = attr(actions, "execute");
    response.actions = { allowed };
    if (preferred && NEXT_ACTIONS.includes(preferred as CommandAction)) {
      response.actions.default = preferred as CommandAction;
    }
  }
  const x = command.getChild("x", NS.dataForms);
  if (x) response.form = parseForm(x);
  response.notes = childrenOf(command, "note").map((note) => {
    const type = attr(note, "type");
    return { type: type === "warn" || type === "error" ? type : "info", text: note.text() };
  });
  return response;
}

/** The specific-condition element of a XEP-0050 error, for `buildStanzaError`. */
export function commandErrorCondition(name: CommandErrorCondition): { name: string; xmlns: string } {
  return { name, xmlns: NS.commands };
}

function assertCommand(command: Element): void {
  if (!command.is("command", NS.commands)) {
    throw new PushError("bad-request", `expected <command xmlns='${NS.commands}'>, got <${command.name}>`, { stanza: command });
  }
}
