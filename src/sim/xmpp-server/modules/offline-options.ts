import { positiveLimit } from "../../recent-records.js";

/** Offline message storage (Prosody's mod_offline). */
export interface OfflineOptions {
  /**
   * The most messages stored for one account (default 10 000, Prosody's
   * `storage_archive_item_limit`). Past it a message is refused, and bounces to its sender with
   * `service-unavailable` as in Prosody; a push for it has already gone out.
   */
  itemLimit?: number;
}

export type ResolvedOfflineOptions = Required<OfflineOptions>;

export function resolveOfflineOptions(options: OfflineOptions = {}): ResolvedOfflineOptions {
  return { itemLimit: positiveLimit("offline.itemLimit", options.itemLimit, 10_000) };
}
