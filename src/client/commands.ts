import { buildIq, buildSubmitForm, type CommandAction, type DataForm, type Element, type FieldValue, NS_COMMANDS, NS_DATA_FORMS, PushError, xml } from "../protocol/index.js";
import { readForm } from "./read-form.js";

const MAX_STAGES = 8;

/** Sends an IQ request; answers with the result, fails with a `PushError` (`sendRequest` bound to a connection). */
type Request = (iq: Element) => Promise<Element>;

/**
 * Runs an ad-hoc command to completion (XEP-0050): executes with a submit form, and when the
 * responder asks for more stages, answers each form with the same sessionid (C8, C9). Returns
 * the completed command's form. `status='complete'` counts as completed, as mod_push_appserver
 * sends it, and so does a `<command action='complete'/>` without status, as p2 answers its
 * unregister (P2-5).
 */
export async function executeCommand(request: Request, to: string, node: string, values: Record<string, FieldValue | undefined>): Promise<{ form?: DataForm }> {
  let action: CommandAction = "execute";
  let sessionid: string | undefined;
  let form: Element | undefined = buildSubmitForm(values);
  for (let stage = 1; ; stage++) {
    const reply = await request(buildIq({ type: "set", to }, xml("command", { xmlns: NS_COMMANDS, node, action, sessionid }, form)));
    const command = reply.getChild("command", NS_COMMANDS);
    if (!command) throw new PushError("bad-response", "command reply without <command/>", { stanza: reply });
    const { status, action: answered } = command.attrs;
    const x = command.getChild("x", NS_DATA_FORMS);
    const answer = x ? readForm(x) : undefined;
    if (status === "executing") {
      sessionid = command.attrs.sessionid;
      if (stage >= MAX_STAGES || !sessionid) throw new PushError("bad-response", `command ${node} did not complete`);
      action = nextAction(command.getChild("actions"));
      form = answer && fillForm(answer, values);
    } else if (status === "canceled") {
      throw new PushError("bad-response", `command ${node} was canceled by the app server`);
    } else if (status === "completed" || status === "complete" || (status === undefined && answered === "complete")) {
      const error = command.getChildren("note").find((note) => note.attrs.type === "error");
      if (error) throw new PushError("bad-response", `command ${node} failed: ${error.text()}`);
      return answer ? { form: answer } : {};
    } else {
      throw new PushError("bad-response", `command response has an invalid status '${status ?? ""}'`, { stanza: reply });
    }
  }
}

/** Without `<actions/>` the only allowed action is complete (XEP-0050 §3.4). */
function nextAction(actions: Element | undefined): CommandAction {
  const allowed = actions?.getChildElements().map((child) => child.name) ?? [];
  if (allowed.length === 0 || allowed.includes("complete")) return "complete";
  if (allowed.includes("next")) return "next";
  const preferred = actions?.attrs.execute;
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
