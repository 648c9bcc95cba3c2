/**
 * RFC 9110 §10.2.3 `Retry-After`: delay-seconds or an HTTP-date, as ms from `now` (never
 * negative); anything else is undefined.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse would also take "5" or ISO strings; an HTTP-date starts with the weekday.
  if (!/^[A-Za-z]{3,9},?\s/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
