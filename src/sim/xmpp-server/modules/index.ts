import type { ServerModule } from "../module.js";
import { directedPresenceModule } from "./directed-presence.js";
import { discoModule } from "./disco.js";
import { mamModule, type ResolvedMamOptions } from "./mam/index.js";
import { offlineModule } from "./offline.js";
import type { ResolvedOfflineOptions } from "./offline-options.js";
import { pingModule } from "./ping.js";
import { pushModule, type ResolvedPushOptions } from "./push/index.js";
import { push2Module, type ResolvedPush2Options } from "./push2/index.js";
import { rosterModule } from "./roster.js";
import type { ResolvedRosterOptions } from "./roster-options.js";
import { bind2Module, sasl2Module } from "./sasl2/index.js";
import { TIGASE_MODULES } from "./tigase/index.js";
import { streamManagementModule } from "./stream-management/index.js";
import type { ResolvedStreamManagement } from "./stream-management/options.js";

/** The options the built-in modules are made with. */
export interface ModuleOptions {
  readonly push: ResolvedPushOptions;
  readonly streamManagement: ResolvedStreamManagement;
  readonly mam: ResolvedMamOptions;
  readonly push2: ResolvedPush2Options;
  readonly offline: ResolvedOfflineOptions;
  readonly roster: ResolvedRosterOptions;
}

/** The reference server's modules by name; a preset lists the ones it loads. */
export const BUILTIN_MODULES = {
  disco: () => discoModule(),
  ping: () => pingModule(),
  roster: (options: ModuleOptions) => rosterModule(options.roster),
  "directed-presence": () => directedPresenceModule(),
  offline: (options: ModuleOptions) => offlineModule(options.offline),
  "stream-management": (options: ModuleOptions) => streamManagementModule(options.streamManagement),
  push: (options: ModuleOptions) => pushModule(options.push),
  mam: (options: ModuleOptions) => mamModule(options.mam),
  push2: (options: ModuleOptions) => push2Module(options.push2),
  sasl2: () => sasl2Module(),
  bind2: () => bind2Module(),
  ...TIGASE_MODULES,
} satisfies Record<string, (options: ModuleOptions) => ServerModule>;

export type ModuleName = keyof typeof BUILTIN_MODULES;
