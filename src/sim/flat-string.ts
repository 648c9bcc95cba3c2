/**
 * A copy of `text` that is one flat string of its own. A string cut out of a parsed stanza can
 * be a view into the stanza's whole text, and one built by appending a chain of pieces: kept
 * for as long as a registration lives, either costs many times its length.
 */
export function flatString(text: string): string {
  // JSON.parse makes a new sequential string; portable where Buffer is not.
  return JSON.parse(JSON.stringify(text)) as string;
}
