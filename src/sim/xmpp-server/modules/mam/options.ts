import { positiveLimit } from "../../../recent-records.js";

/** XEP-0313 message archive management (Prosody's mod_mam). */
export interface MamOptions {
  /**
   * The most messages kept per account; past it the oldest go (default 1000, Prosody's
   * `storage_archive_item_limit`), so memory stays bounded.
   */
  archiveItemLimit?: number;
}

export type ResolvedMamOptions = Required<MamOptions> & { readonly enabled: boolean };

/** `mam: true` or an options object turns the module on. */
export function resolveMamOptions(options: boolean | MamOptions | undefined): ResolvedMamOptions {
  const limit = typeof options === "object" ? options.archiveItemLimit : undefined;
  return { enabled: Boolean(options), archiveItemLimit: positiveLimit("mam.archiveItemLimit", limit, 1000) };
}
