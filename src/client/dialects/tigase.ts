import { applyTigaseEnable, type DataForm, getValue, getValues, PushError } from "../../protocol/index.js";
import { findPushComponent } from "../find-push-component.js";
import { tigaseEnableOptions, tigaseRegistration } from "../tigase-settings.js";
import { TIGASE_REGISTER as REGISTER, TIGASE_UNREGISTER as UNREGISTER, tigaseMatches } from "./signatures.js";
import type { CommandCall, CommandDialect, DialectRegisterInput, RegisteredNode } from "./types.js";

/**
 * Tigase's push component (tigase-push, as TigaseSwift's TigasePushNotificationsModule speaks
 * it): `register-device` with `provider` (e.g. `tigase:messenger:fcm:1`), `device-token` and an
 * optional `device-second-token` (a VoIP token) gives `node`, `features` and `max-payload-size`;
 * there is no secret, the node is the capability, and the node lives at the component's own JID
 * (T1–T3). `unregister-device` takes `provider` and `device-token`.
 */
export const tigase: CommandDialect = {
  name: "tigase",
  accountNode: true,

  matches: tigaseMatches,

  // The provider ids are the component's configuration; its commands do not name them.
  providers: () => [],

  register(input: DialectRegisterInput): CommandCall {
    if (typeof input.token !== "string") throw new PushError("not-supported", "the tigase dialect takes platform tokens, not Web Push subscriptions");
    const voip = input.voipToken === undefined ? {} : { "device-second-token": input.voipToken };
    return { node: REGISTER, values: { ...input.fields, ...voip, provider: input.provider, "device-token": input.token } };
  },

  parseRegistered(form: DataForm | undefined, appServer?: string): RegisteredNode {
    const node = form && getValue(form, "node");
    if (!form || !node) throw new PushError("bad-response", "the registration result lacks node");
    const jid = getValue(form, "jid") ?? appServer;
    if (!jid) throw new PushError("bad-response", "the registration result lacks jid and the component is unknown");
    const registered: RegisteredNode = { jid, node };
    const features = getValues(form, "features");
    if (features.length > 0) registered.features = features;
    const maxPayloadSize = getValue(form, "max-payload-size");
    if (maxPayloadSize !== undefined && /^\d+$/.test(maxPayloadSize)) registered.maxPayloadSize = Number(maxPayloadSize);
    return registered;
  },

  list: () => {
    throw new PushError("not-supported", "the tigase dialect has no registration list");
  },

  parseList: () => [],

  unregister(options): CommandCall {
    if (!options.provider || !options.token) throw new PushError("not-supported", "the tigase dialect unregisters by provider and device token");
    return { node: UNREGISTER, values: { provider: options.provider, "device-token": options.token } };
  },

  // Tigase answers a completed command without naming what it removed.
  parseUnregistered: () => [],

  findPushComponent,

  enableExtensions: {
    keep: tigaseRegistration,
    apply(enable, tigase, advertised) {
      const applied = applyTigaseEnable(enable, tigaseEnableOptions(tigase), advertised);
      if ("settings" in tigase) tigase.applied = applied;
    },
  },
};
