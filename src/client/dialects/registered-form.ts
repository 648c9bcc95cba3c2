import { type DataForm, getValue, PushError } from "../../protocol/index.js";
import type { RegisteredNode } from "./types.js";

/**
 * Reads `jid`, `node` and `secret` from a registration's result form, whatever its type (p2
 * and mod_push_appserver send `form`, royneary `result`); no jid or node → `bad-response` (C10).
 */
export function parseRegisteredForm(form: DataForm | undefined): RegisteredNode {
  const jid = form && getValue(form, "jid");
  const node = form && getValue(form, "node");
  if (!form || !jid || !node) throw new PushError("bad-response", "the registration result lacks jid or node");
  const secret = getValue(form, "secret");
  return secret === undefined ? { jid, node } : { jid, node, secret };
}
