import fc from "fast-check";

/** One change to a turn's UTF-8 bytes; positions are taken modulo the length, as for text edits. */
export type ByteEdit =
  | { readonly kind: "insert-bytes"; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: "xor-byte"; readonly at: number; readonly mask: number }
  | { readonly kind: "truncate-bytes"; readonly at: number };

/** Byte sequences a strict UTF-8 decoder must reject, and a few valid ones that are unusual in a stream. */
const UTF8_TRAPS: readonly (readonly number[])[] = [
  [0xff], [0xfe], [0x80], [0xbf], // never valid / a lone continuation byte
  [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xf0, 0x80, 0x80, 0x80], // overlong
  [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3], // cut short
  [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], // UTF-16 surrogates
  [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], // above U+10FFFF, 5-byte form
  [0xef, 0xbb, 0xbf], [0x00], [0xf0, 0x9f, 0x98, 0x80], // BOM, NUL, an emoji
];

const position = fc.nat({ max: 1_000_000 });

export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("insert-bytes" as const), at: position, bytes: fc.constantFrom(...UTF8_TRAPS) }), weight: 3 },
  fc.record({ kind: fc.constant("insert-bytes" as const), at: position, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant("xor-byte" as const), at: position, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("truncate-bytes" as const), at: position }),
);

export interface EditedBytes {
  readonly bytes: Uint8Array;
  readonly truncated: boolean;
}

export function applyByteEdits(original: Uint8Array, edits: readonly ByteEdit[]): EditedBytes {
  let bytes = original;
  let truncated = false;
  for (const edit of edits) {
    const at = edit.at % (bytes.length + 1);
    if (edit.kind === "truncate-bytes") {
      bytes = bytes.slice(0, at);
      truncated = true;
    } else if (edit.kind === "xor-byte") {
      if (at < bytes.length) {
        bytes = bytes.slice();
        bytes[at] = (bytes[at] ?? 0) ^ edit.mask;
      }
    } else {
      bytes = concatBytes([bytes.subarray(0, at), Uint8Array.from(edit.bytes), bytes.subarray(at)]);
    }
  }
  return { bytes, truncated };
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
