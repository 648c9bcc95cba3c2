import { type DataForm, getValue, getValues } from "../../protocol/index.js";
import type { ListedRegistration } from "../types.js";
import { parseRegisteredForm } from "./registered-form.js";
import { modPushMatches, REGISTER_PUSH as REGISTER_PREFIX, UNREGISTER_PUSH as UNREGISTER } from "./signatures.js";
import type { CommandCall, CommandDialect, DialectRegisterInput } from "./types.js";

const LIST = "list-push-registrations";

/**
 * The royneary mod_push command set (register-push-<provider>, list-push-registrations,
 * unregister-push), which the app server simulator also speaks, with `register-push-webpush`
 * taking `endpoint`, `p256dh` and `auth`.
 */
export const modPush: CommandDialect = {
  name: "mod-push",
  // royneary's commands know no rooms (mod_push.erl @ d43e9c6 reads token, device-id, device-name only, C19).
  rooms: "device-per-room",

  matches: modPushMatches,

  providers: (nodes) => nodes.filter((node) => node.startsWith(REGISTER_PREFIX)).map((node) => node.slice(REGISTER_PREFIX.length)),

  register(input: DialectRegisterInput): CommandCall {
    const values: CommandCall["values"] = { ...input.fields, "device-id": input.deviceId, "device-name": input.deviceName };
    if (typeof input.token === "string") {
      values.token = input.token;
    } else {
      values.endpoint = input.token.endpoint;
      values.p256dh = input.token.keys.p256dh;
      values.auth = input.token.keys.auth;
    }
    return { node: REGISTER_PREFIX + input.provider, values };
  },

  parseRegistered: (form) => parseRegisteredForm(form),

  list: () => ({ node: LIST, values: {} }),

  parseList(form: DataForm | undefined): ListedRegistration[] {
    if (!form) return [];
    const rows = form.items ?? [];
    return rows.flatMap((row) => {
      const item: DataForm = { type: "result", fields: row };
      const node = getValue(item, "node");
      if (!node) return [];
      const listed: ListedRegistration = { node };
      const deviceId = getValue(item, "device-id");
      if (deviceId) listed.deviceId = deviceId;
      const deviceName = getValue(item, "device-name");
      if (deviceName) listed.deviceName = deviceName;
      const provider = getValue(item, "provider");
      if (provider) listed.provider = provider;
      return [listed];
    });
  },

  unregister: (options) => ({
    node: UNREGISTER,
    values: options.nodes?.length ? { nodes: options.nodes } : { "device-id": options.deviceId },
  }),

  parseUnregistered: (form) => (form ? getValues(form, "nodes") : []),
};
