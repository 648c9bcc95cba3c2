import { readFileSync } from "node:fs";

/** The entries of a JSON-lines file the suite appended to; none when it is missing. */
export function readJsonLines<T>(file: string): T[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}
