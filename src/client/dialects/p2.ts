import { type DataForm, PushError } from "../../protocol/index.js";
import { parseRegisteredForm } from "./registered-form.js";
import { isServiceNode, p2Matches, REGISTER_PUSH as REGISTER_PREFIX, UNREGISTER_PUSH_SERVICE as UNREGISTER_PREFIX } from "./signatures.js";
import type { CommandCall, CommandDialect, DialectRegisterInput } from "./types.js";


/**
 * Conversations' app server, p2 (docs/conformance.md P2-*): `register-push-<service>` with
 * `token` and `device-id` (p2 also takes the legacy `android-id`), plus `muc` (a room's bare JID,
 * `RegisterOptions.muc`; a `muc` in `fields` is sent as given) for a room's channel;
 * `unregister-push-<service>` with `device-id` (and `muc`). No registration list. Told from mod-push by its command list: per-service
 * `unregister-push-<service>` commands and no `unregister-push` / `list-push-registrations`.
 * p2 itself answers no disco, so against it pass `dialect: "p2"`.
 */
export const p2: CommandDialect = {
  name: "p2",
  rooms: "muc-field",

  matches: p2Matches,

  providers: (nodes) => nodes.filter((node) => isServiceNode(node, REGISTER_PREFIX)).map((node) => node.slice(REGISTER_PREFIX.length)),

  register(input: DialectRegisterInput): CommandCall {
    if (typeof input.token !== "string") throw new PushError("not-supported", "p2 takes FCM and APNS tokens, not Web Push subscriptions");
    return { node: REGISTER_PREFIX + input.provider, values: { ...input.fields, ...mucOf(input.muc), token: input.token, "device-id": input.deviceId } };
  },

  parseRegistered: (form) => parseRegisteredForm(form),

  list(): CommandCall {
    throw new PushError("not-supported", "p2 has no registration list");
  },

  parseList: () => [],

  unregister(options): CommandCall {
    if (!options.provider || !options.deviceId) {
      throw new PushError("bad-request", "p2 unregisters a device per service: pass provider and deviceId");
    }
    return { node: UNREGISTER_PREFIX + options.provider, values: { ...options.fields, ...mucOf(options.muc), "device-id": options.deviceId } };
  },

  // p2's answer names nothing: what was asked for is what went.
  parseUnregistered: (_form: DataForm | undefined, options) => options.nodes ?? [],
};

function mucOf(muc: string | undefined): { muc: string } | Record<string, never> {
  return muc === undefined ? {} : { muc };
}
