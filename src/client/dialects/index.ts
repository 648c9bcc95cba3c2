import { modPush } from "./mod-push.js";
import { mongooseim } from "./mongooseim.js";
import { tigase } from "./tigase.js";
import type { Dialect } from "./types.js";

export { modPush, mongooseim, tigase };
export type { CommandCall, Dialect, DialectRegisterInput, RegisteredNode } from "./types.js";

/** Dialects tried by `discover()`, in order: command dialects by the app server's commands, then the pubsub ones by its disco#info. */
export const dialects: readonly Dialect[] = [modPush, tigase, mongooseim];

export function findDialect(name: string, available: readonly Dialect[] = dialects): Dialect | undefined {
  return available.find((dialect) => dialect.name === name);
}
