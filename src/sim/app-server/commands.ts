import { type CommandRequest, type Element, parseCommandRequest, PushError } from "../../protocol/index.js";
import { type AppServerContext, requesterOf } from "./context.js";
import { badPayload, refusal } from "./iq-errors.js";

/** Answers a XEP-0050 `<command>` by the dialect that owns its node; refusals throw `PushError`s. */
export async function executeCommand(context: AppServerContext, iq: Element, command: Element): Promise<Element> {
  const requester = requesterOf(iq);
  const request = parseRequest(command);
  const dialect = context.dialects.find((candidate) => candidate.handles(request.node, context));
  if (!dialect) throw refusal("item-not-found", `no command '${request.node}'`, { type: "cancel" });
  return dialect.execute({ context, iq, requester, request });
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
