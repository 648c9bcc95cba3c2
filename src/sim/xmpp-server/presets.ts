import type { ServerModule } from "./module.js";
import { BUILTIN_MODULES, type ModuleName } from "./modules/index.js";
import { resolveMamOptions } from "./modules/mam/options.js";
import { resolveOfflineOptions } from "./modules/offline-options.js";
import { resolveRosterOptions } from "./modules/roster-options.js";
import type { OfflineModule } from "./modules/offline.js";
import { TIGASE_MODULES } from "./modules/tigase/index.js";
import { type PushModule, type PushOptions, resolvePushOptions } from "./modules/push/index.js";
import { type Push2Module, resolvePush2Options } from "./modules/push2/index.js";
import { resolveStreamManagement, type StreamManagementOptions } from "./modules/stream-management/options.js";
import type { XmppServerOptions } from "./options.js";

export type Preset = "reference" | "prosody" | "ejabberd" | "mongooseim" | "royneary" | "tigase";

/** A server as the reference models it: which modules it loads, and how its push module behaves. */
export interface PresetDefinition {
  readonly modules: readonly ModuleName[];
  readonly push: PushOptions;
  readonly streamManagement?: StreamManagementOptions;
  /** Offers XEP-0388 SASL2 + XEP-0386 Bind2 (the `sasl2` option overrides). */
  readonly sasl2?: boolean;
}

const STANDARD_MODULES: readonly ModuleName[] = ["disco", "ping", "roster", "directed-presence", "offline", "stream-management", "push"];

const TIGASE_MODULE_NAMES = Object.keys(TIGASE_MODULES) as (keyof typeof TIGASE_MODULES)[];

/**
 * What differs between the servers, as their sources say and the interop suite saw
 * (shared/docs/realservers.md, test/interop/fixtures). Explicit `push` options override these.
 */
export const PRESETS: Record<Preset, PresetDefinition> = {
  reference: { modules: STANDARD_MODULES, push: {} },
  prosody: {
    modules: STANDARD_MODULES,
    push: {
      publishFrom: "domain",
      summaryFormType: "form",
      messageCount: "always-one",
      emptyFields: true,
      includeBody: "New Message!",
      pushBodyless: true,
      maxPublishErrors: 16,
      countErrors: "non-wait",
      disableUnknown: "result",
      userOptions: "none",
      maxRegistrations: 5,
    },
  },
  ejabberd: {
    modules: STANDARD_MODULES,
    push: {
      publishFrom: "domain",
      summaryFormType: "submit",
      messageCount: "none",
      includeBody: "New message",
      maxPublishErrors: 1,
      countErrors: "non-wait",
      disableUnknown: "item-not-found",
      userOptions: "none",
    },
  },
  // From MongooseIM 6.8.0-38-g475087c6e's sources, not checked against a running MongooseIM:
  // src/event_pusher/mod_event_pusher_push_plugin_defaults.erl publishes from the recipient's
  // domain, names a chat sender by bare JID, and disables a node only on an error reply of type
  // `cancel` (handle_publish_response; a timeout or other types keep it). Seed 002's "Any publish
  // error may result in disabling" is looser than the code.
  mongooseim: {
    modules: STANDARD_MODULES,
    push: { publishFrom: "domain", includeBody: true, includeSender: true, senderResource: false, maxPublishErrors: 1, countErrors: "cancel", userOptions: "none" },
  },
  // royneary/mod_push (ejabberd, 2015), from its README and src/mod_push.erl: the defaults of
  // include_senders, include_message_count, include_subscription_count, include_message_bodies;
  // the first enable's urn:xmpp:push:options form sets them, later ones only turn them off;
  // publishes from the user's bare JID; resume_timeout for push users is 100 days.
  royneary: {
    modules: STANDARD_MODULES,
    push: {
      includeSender: false,
      messageCount: "since-login",
      includeSubscriptionCount: true,
      includeBody: false,
      userOptions: "first-enable-sets",
      publishFrom: "account",
      summaryFormType: "submit",
      disableUnknown: "item-not-found",
    },
    streamManagement: { pushResumeTimeout: 100 * 24 * 60 * 60 * 1000 },
  },
  // tigase-server 6e5d3b7fc's tigase.xmpp.impl.push (docs/conformance.md TS1–TS10): publishes
  // from the domain, the sender's full JID and the real body (with-sender, with-body), the count
  // of the account's offline messages; a publish error other than remote-server-timeout,
  // service-unavailable, internal-server-error or bad-request disables at once; its extensions.
  tigase: {
    modules: [...STANDARD_MODULES, ...TIGASE_MODULE_NAMES],
    push: {
      publishFrom: "domain",
      summaryFormType: "submit",
      messageCount: "since-login",
      includeBody: true,
      includeSender: true,
      senderResource: true,
      maxPublishErrors: 1,
      countErrors: "non-wait",
      disableUnknown: "result",
      userOptions: "none",
    },
  },
};

/** The modules a server with these options loads, in order, and the ones the server's inspection methods read. */
export interface LoadedModules {
  readonly all: readonly ServerModule[];
  readonly push: PushModule | undefined;
  readonly offline: OfflineModule | undefined;
  readonly push2: Push2Module | undefined;
}

export function modulesFor(options: XmppServerOptions): LoadedModules {
  const preset = PRESETS[options.preset ?? "reference"];
  if (!preset) throw new RangeError(`unknown preset '${String(options.preset)}'`);
  const streamManagement = resolveStreamManagement(options.streamManagement, preset.streamManagement);
  const mam = resolveMamOptions(options.mam);
  const push2 = resolvePush2Options(options.push2);
  const moduleOptions = { push: resolvePushOptions(preset.push, options.push), streamManagement, mam, push2, offline: resolveOfflineOptions(options.offline), roster: resolveRosterOptions(options.roster) };
  const sasl2 = options.sasl2 ?? preset.sasl2 ?? false;
  const names = [
    ...preset.modules.filter((name) => name !== "stream-management" || streamManagement.enabled),
    ...(mam.enabled ? (["mam"] as const) : []),
    ...(push2.enabled ? (["push2"] as const) : []),
    ...(sasl2 ? (["sasl2", "bind2"] as const) : []),
  ];
  const builtIn = names.map((name) => BUILTIN_MODULES[name](moduleOptions));
  return {
    all: [...builtIn, ...(options.modules ?? [])],
    push: builtIn.find((module): module is PushModule => module.name === "push"),
    offline: builtIn.find((module): module is OfflineModule => module.name === "offline"),
    push2: builtIn.find((module): module is Push2Module => module.name === "push2"),
  };
}
