import { positiveLimit } from "../../../recent-records.js";

/** Push 2.0 (the ProtoXEP of prosody-modules' mod_push2) on the reference server. */
export interface Push2Options {
  /** The JWT's `sub` (mod_push2's `contact_uri`, default `xmpp:<domain>`); RFC 8292 wants a mailto: or https: URI. */
  contactUri?: string;
  /**
   * The most bytes of envelope one notification encrypts (default 3993: RFC 8291 §4's largest
   * plaintext in one 4096-byte record). mod_push2 uses 2847.
   */
  maxPayload?: number;
  /** How often an error of type `wait` is retried before the notification is dropped (default 3). */
  maxRetries?: number;
  /** The first retry's delay, ms; each later one doubles it (default 1000). */
  retryDelay?: number;
  /** How long the JWT is valid, seconds (default 12 h; RFC 8292 allows at most 24 h). */
  jwtLifetime?: number;
  /** The clock, ms since the epoch (grace periods and `exp` read it). */
  now?: () => number;
  /**
   * The most registrations one account keeps (one per client id or resource): an enable past it
   * removes the account's least recently enabled one, raising `push2-disabled` with reason
   * `limit`; the enable itself is answered with a result. As `push.maxRegistrations` (S19);
   * mod_push2 has no limit. A positive integer, or `Infinity`. Default 10.
   */
  maxRegistrations?: number;
}

export type ResolvedPush2Options = Readonly<Required<Omit<Push2Options, "contactUri">>> & { readonly contactUri: string | undefined; readonly enabled: boolean };

/** `push2: true` or an options object loads the module. */
export function resolvePush2Options(options: boolean | Push2Options | undefined): ResolvedPush2Options {
  const given = typeof options === "object" ? options : {};
  return {
    enabled: Boolean(options),
    contactUri: given.contactUri,
    maxPayload: positive(given.maxPayload, 3993, "push2.maxPayload"),
    maxRetries: count(given.maxRetries, 3, "push2.maxRetries"),
    retryDelay: count(given.retryDelay, 1000, "push2.retryDelay"),
    jwtLifetime: positive(given.jwtLifetime, 12 * 60 * 60, "push2.jwtLifetime"),
    now: given.now ?? Date.now,
    maxRegistrations: positiveLimit("push2.maxRegistrations", given.maxRegistrations, 10),
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function count(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of at least 0, got ${value}`);
  return value;
}
