import { modPush } from "./mod-push.js";
import { mongooseim } from "./mongooseim.js";
import { p2 } from "./p2.js";
import { tigase } from "./tigase.js";
import { v1 } from "./v1.js";
import type { Dialect } from "./types.js";

export { modPush, mongooseim, p2, tigase, v1 };
export type { CommandCall, Dialect, DialectRegisterInput, RegisteredNode } from "./types.js";

/**
 * Dialects tried by `discover()`, in order: command dialects by the app server's commands, then
 * the pubsub ones by its disco#info. mod-push comes before p2: both offer `register-push-*`, and
 * an app server offering royneary's `unregister-push` as well as p2's per-service unregister
 * speaks mod-push too, the one with a registration list. tigase comes before mongooseim: a
 * Tigase push component is a pubsub service too.
 */
export const dialects: readonly Dialect[] = [modPush, p2, v1, tigase, mongooseim];

export function findDialect(name: string, available: readonly Dialect[] = dialects): Dialect | undefined {
  return available.find((dialect) => dialect.name === name);
}
