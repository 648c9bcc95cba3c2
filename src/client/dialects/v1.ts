import { type DataForm, getValue, PushError } from "../../protocol/index.js";
import { parseRegisteredForm } from "./registered-form.js";
import { V1_REGISTER as REGISTER, v1Matches } from "./signatures.js";
import type { CommandCall, CommandDialect, DialectRegisterInput } from "./types.js";

const UNREGISTER = "v1-unregister-push";

/**
 * mod_push_appserver's XEP-0050 API, as Monal and Yaxim use it (docs/conformance.md V1-*):
 * `v1-register-push` with `type` (the provider), `node` (the device id) and `token`;
 * `v1-unregister-push` with `type` and `node`. No registration list, no provider list. The
 * node is the device id, which is why `register()`'s default device id is random, never a
 * hardware id: the app server keys registrations by it alone.
 */
export const v1: CommandDialect = {
  name: "v1",

  matches: v1Matches,

  providers: () => [],

  register(input: DialectRegisterInput): CommandCall {
    if (typeof input.token !== "string") throw new PushError("not-supported", "mod_push_appserver takes platform tokens, not Web Push subscriptions");
    return { node: REGISTER, values: { ...input.fields, type: input.provider, node: input.deviceId, token: input.token } };
  },

  parseRegistered: (form) => parseRegisteredForm(form),

  list(): CommandCall {
    throw new PushError("not-supported", "mod_push_appserver has no registration list");
  },

  parseList: () => [],

  unregister(options): CommandCall {
    const node = options.nodes?.length === 1 ? options.nodes[0] : options.nodes?.length ? undefined : options.deviceId;
    if (!options.provider || !node) throw new PushError("bad-request", "v1 unregisters one node of one type: pass provider and deviceId or one node");
    return { node: UNREGISTER, values: { type: options.provider, node } };
  },

  parseUnregistered: (form: DataForm | undefined) => {
    const node = form && getValue(form, "node");
    return node ? [node] : [];
  },
};
