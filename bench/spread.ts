/** The smallest, middle and largest of a set of measurements (one per round). */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/** "min / median / max", each through `format`. */
export function formatSpread(values: readonly number[], format: (value: number) => string): string {
  const { min, median, max } = spread(values);
  return `${format(min)} / ${format(median)} / ${format(max)}`;
}
