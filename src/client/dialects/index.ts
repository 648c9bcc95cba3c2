import { modPush } from "./mod-push.js";
import type { Dialect } from "./types.js";

export { modPush };
export type { CommandCall, Dialect, DialectRegisterInput, RegisteredNode } from "./types.js";

/** Dialects tried by `discover()`, in order. */
export const dialects: readonly Dialect[] = [modPush];

export function findDialect(name: string, available: readonly Dialect[] = dialects): Dialect | undefined {
  return available.find((dialect) => dialect.name === name);
}
