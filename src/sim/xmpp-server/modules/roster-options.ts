import { positiveLimit } from "../../recent-records.js";

/** The roster (RFC 6121 §2; Prosody's mod_roster). */
export interface RosterOptions {
  /**
   * The most items one account's roster holds (default 1 000). A roster set adding one more new
   * JID is refused `cancel/policy-violation` ("a roster holds at most N items here"), as
   * Tigase's `max_roster_size` refuses it; changing or removing an item
   * held is always taken. Prosody and ejabberd have no such limit. A positive integer, or
   * `Infinity`.
   */
  maxItems?: number;
}

export type ResolvedRosterOptions = Required<RosterOptions>;

export function resolveRosterOptions(options: RosterOptions = {}): ResolvedRosterOptions {
  return { maxItems: positiveLimit("roster.maxItems", options.maxItems, 1_000) };
}
