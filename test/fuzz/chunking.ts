import fc from "fast-check";

/** Chunk sizes, used in turn and repeated; none means "each turn in one piece". */
export const chunkSizes: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constant([]),
  fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
  fc.constant([1]),
);

/** Splits data into consecutive pieces of the given sizes, cycling through them. */
export function splitIntoChunks<Data extends string | Uint8Array>(data: Data, sizes: readonly number[]): Data[] {
  if (sizes.length === 0) return [data];
  const chunks: Data[] = [];
  for (let offset = 0, index = 0; offset < data.length; index++) {
    const size = sizes[index % sizes.length] ?? data.length;
    chunks.push(data.slice(offset, offset + size) as Data);
    offset += size;
  }
  return chunks;
}
