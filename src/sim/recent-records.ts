/**
 * Appends `record` to `records` and drops the oldest beyond `limit`, so that what a simulator
 * records over days stays at its latest `limit` (shift is O(1) on V8's arrays: it trims the front).
 */
export function keepLatest<T>(records: T[], record: T, limit: number): void {
  records.push(record);
  while (records.length > limit) records.shift();
}

/**
 * Removes a map's first entries (its oldest, as a `Map` keeps insertion order) until at most
 * `limit` are left; returns the removed values, oldest first.
 */
export function dropOldest<K, V>(entries: Map<K, V>, limit: number): V[] {
  const dropped: V[] = [];
  for (const [key, value] of entries) {
    if (entries.size <= limit) break;
    entries.delete(key);
    dropped.push(value);
  }
  return dropped;
}

/** A limit as the simulators' options take it: a positive integer or Infinity, else a `RangeError`; `fallback` when unset. */
export function positiveLimit(name: string, limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (limit !== Number.POSITIVE_INFINITY && (!Number.isInteger(limit) || limit <= 0)) throw new RangeError(`${name} must be a positive integer, got ${limit}`);
  return limit;
}

/** The default record limit of the recording providers and the MUC service's pushes. */
export const DEFAULT_RECORD_LIMIT = 10_000;
