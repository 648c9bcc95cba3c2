import { PushError } from "../../../protocol/index.js";
import { createModPushDialect } from "./mod-push.js";
import { createP2Dialect } from "./p2.js";
import { createV1Dialect } from "./v1.js";
import type { AppServerOptions } from "../types.js";
import { createTigaseDialect } from "./tigase.js";
import type { AppServerDialect, AppServerDialectFactory, AppServerDialectName } from "./types.js";

export type { AppServerDialect, AppServerDialectName } from "./types.js";

/** Every dialect the simulator can speak; a new one is one line here (see types.ts). */
const APP_SERVER_DIALECTS: Record<AppServerDialectName, AppServerDialectFactory> = {
  "mod-push": createModPushDialect,
  p2: createP2Dialect,
  v1: createV1Dialect,
  tigase: createTigaseDialect,
};

export const DEFAULT_APP_SERVER_DIALECTS: readonly AppServerDialectName[] = ["mod-push"];

/** One app server's dialects, in the order given; an unknown or repeated name is `bad-request`. */
export function createDialects(options: AppServerOptions): AppServerDialect[] {
  const names = options.dialects ?? DEFAULT_APP_SERVER_DIALECTS;
  if (names.length === 0) throw new PushError("bad-request", "an app server needs at least one dialect");
  if (new Set(names).size !== names.length) throw new PushError("bad-request", "a dialect is listed twice");
  return names.map((name) => {
    const create = APP_SERVER_DIALECTS[name];
    if (!create) throw new PushError("bad-request", `the app server simulator has no dialect '${String(name)}'`);
    return create(options);
  });
}
