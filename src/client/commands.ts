import {
  buildCommandRequest,
  buildIq,
  type CommandAction,
  type CommandResponse,
  type DataForm,
  type FieldValue,
  formFromValues,
  NS,
  parseCommandResponse,
  PushError,
} from "../protocol/index.js";
import { sendRequest } from "./request.js";
import type { XmppConnection } from "./types.js";

const MAX_STAGES = 8;

/**
 * Runs an ad-hoc command to completion (XEP-0050): executes with a submit form, and when the
 * responder asks for more stages, answers each form with the same sessionid (C8, C9).
 */
export async function executeCommand(
  xmpp: XmppConnection,
  to: string,
  node: string,
  values: Record<string, FieldValue | undefined>,
  timeout: number,
): Promise<CommandResponse> {
  let response = await send(xmpp, to, { node, action: "execute", form: formFromValues("submit", undefined, values) }, timeout);
  for (let stage = 1; response.status === "executing"; stage++) {
    if (stage >= MAX_STAGES || !response.sessionid) {
      throw new PushError("bad-response", `command ${node} did not complete`);
    }
    const action = nextAction(response);
    const form = response.form ? fillForm(response.form, values) : undefined;
    response = await send(xmpp, to, { node, action, sessionid: response.sessionid, ...(form ? { form } : {}) }, timeout);
  }
  if (response.status === "canceled") throw new PushError("bad-response", `command ${node} was canceled by the app server`);
  const error = response.notes.find((note) => note.type === "error");
  if (error) throw new PushError("bad-response", `command ${node} failed: ${error.text}`);
  return response;
}

async function send(
  xmpp: XmppConnection,
  to: string,
  request: Parameters<typeof buildCommandRequest>[0],
  timeout: number,
): Promise<CommandResponse> {
  const reply = await sendRequest(xmpp, buildIq({ type: "set", to }, buildCommandRequest(request)), timeout);
  const command = reply.getChild("command", NS.commands);
  if (!command) throw new PushError("bad-response", "command reply without <command/>", { stanza: reply });
  try {
    return parseCommandResponse(command);
  } catch (error) {
    throw new PushError("bad-response", error instanceof Error ? error.message : "malformed command reply", { stanza: reply, cause: error });
  }
}

/** Without `<actions/>` the only allowed action is complete (XEP-0050 §3.4). */
function nextAction(response: CommandResponse): CommandAction {
  const allowed = response.actions?.allowed ?? [];
  if (allowed.length === 0 || allowed.includes("complete")) return "complete";
  return allowed.includes("next") ? "next" : (response.actions?.default ?? "complete");
}

/** Answers a stage's form: our values for the fields it asks, hidden fields echoed back. */
function fillForm(form: DataForm, values: Record<string, FieldValue | undefined>): DataForm {
  const answer: Record<string, FieldValue | undefined> = {};
  for (const field of form.fields) {
    if (!field.var || field.type === "fixed") continue;
    answer[field.var] = values[field.var] ?? (field.type === "hidden" || field.values.length ? field.values : undefined);
  }
  return formFromValues("submit", form.formType, answer);
}
