import { buildIq, buildSubmitForm, type CommandAction, type DataForm, type Element, type FieldValue, NS_COMMANDS, NS_DATA_FORMS, PushError, xml } from "../protocol/index.js";
import { readForm } from "./read-form.js";

const MAX_STAGES = 8;

/** Sends an IQ request; answers with the result, fails with a `PushError` (`sendRequest` bound to a connection). */
type Request = (iq: Element) => Promise<Element>;

/** What the client reads of a `<command>` answer. */
interface CommandAnswer {
  status: "executing" | "completed" | "canceled";
  sessionid?: string;
  /** The `<actions/>` element's children and its `execute` default, when it sent one. */
  actions?: { allowed: string[]; default?: string };
  form?: DataForm;
  /** The text of its first `error` note. */
  error?: string;
}

/**
 * Runs an ad-hoc command to completion (XEP-0050): executes with a submit form, and when the
 * responder asks for more stages, answers each form with the same sessionid (C8, C9). Returns
 * the completed command's form.
 */
export async function executeCommand(request: Request, to: string, node: string, values: Record<string, FieldValue | undefined>): Promise<{ form?: DataForm }> {
  let answer = await send(request, to, node, "execute", undefined, buildSubmitForm(values));
  for (let stage = 1; answer.status === "executing"; stage++) {
    if (stage >= MAX_STAGES || !answer.sessionid) throw new PushError("bad-response", `command ${node} did not complete`);
    answer = await send(request, to, node, nextAction(answer), answer.sessionid, answer.form && fillForm(answer.form, values));
  }
  if (answer.status === "canceled") throw new PushError("bad-response", `command ${node} was canceled by the app server`);
  if (answer.error !== undefined) throw new PushError("bad-response", `command ${node} failed: ${answer.error}`);
  return answer;
}

async function send(request: Request, to: string, node: string, action: CommandAction, sessionid: string | undefined, form: Element | undefined): Promise<CommandAnswer> {
  const reply = await request(buildIq({ type: "set", to }, xml("command", { xmlns: NS_COMMANDS, node, action, sessionid }, form)));
  const command = reply.getChild("command", NS_COMMANDS);
  if (!command) throw new PushError("bad-response", "command reply without <command/>", { stanza: reply });
  return readCommand(command, reply);
}

/**
 * The answer's status (`status='complete'` counts as completed, as mod_push_appserver sends it,
 * and so does a `<command action='complete'/>` without status, as p2 answers its unregister,
 * P2-5), session, actions, form and error note.
 */
function readCommand(command: Element, reply: Element): CommandAnswer {
  let status: string | undefined = command.attrs.status;
  if (status === "complete" || (status === undefined && command.attrs.action === "complete")) status = "completed";
  if (status !== "executing" && status !== "completed" && status !== "canceled") {
    throw new PushError("bad-response", `command response has an invalid status '${status ?? ""}'`, { stanza: reply });
  }
  const answer: CommandAnswer = { status };
  if (command.attrs.sessionid) answer.sessionid = command.attrs.sessionid;
  const actions = command.getChild("actions");
  if (actions) answer.actions = { allowed: actions.getChildElements().map((child) => child.name), default: actions.attrs.execute };
  const x = command.getChild("x", NS_DATA_FORMS);
  if (x) answer.form = readForm(x);
  const error = command.getChildren("note").find((note) => note.attrs.type === "error");
  if (error) answer.error = error.text();
  return answer;
}

/** Without `<actions/>` the only allowed action is complete (XEP-0050 §3.4). */
function nextAction(answer: CommandAnswer): CommandAction {
  const allowed = answer.actions?.allowed ?? [];
  if (allowed.length === 0 || allowed.includes("complete")) return "complete";
  if (allowed.includes("next")) return "next";
  const preferred = answer.actions?.default;
  return preferred === "prev" || preferred === "next" ? preferred : "complete";
}

/** Answers a stage's form: our values for the fields it asks, hidden fields echoed back. */
function fillForm(form: DataForm, values: Record<string, FieldValue | undefined>): Element {
  const answer: Record<string, FieldValue | undefined> = {};
  for (const field of form.fields) {
    if (!field.var || field.type === "fixed") continue;
    answer[field.var] = values[field.var] ?? (field.type === "hidden" || field.values.length ? field.values : undefined);
  }
  return buildSubmitForm(answer, form.formType);
}
