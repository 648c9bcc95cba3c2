/**
 * A copy of `text` that is one flat string of its own. A string cut out of a parsed stanza can
 * be a view into the stanza's whole text, and one built by appending a chain of pieces: kept
 * for as long as a registration lives, either costs many times its length.
 */
export function flatString(text: string): string {
  // JSON.parse makes a new sequential string; portable where Buffer is not.
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * `text` made flat in place when it was built by appending pieces (a serialized stanza): cheaper
 * than {@link flatString}'s copy, and enough when `text` is no view into a larger string.
 * Converting a string to a number makes V8 flatten it; elsewhere it costs one scan.
 */
export function flattened(text: string): string {
  void Number(text);
  return text;
}
