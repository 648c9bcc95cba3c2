import { copyFile, mkdir, readdir, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../artifacts.js";
import type { RecordedOutput } from "./outputs.js";

interface Found {
  output: RecordedOutput;
  /** File names inside the artifact folder, or [""] for a single-file artifact; [] when absent. */
  files: string[];
}

/**
 * Copies the outputs of a run that passed to their tracked places and says what it did, one line
 * each. A required output that is missing copies nothing at all: a half-refreshed checkout would
 * mix two runs.
 */
export async function copyOutputs(outputs: readonly RecordedOutput[], root = REPO_ROOT): Promise<string[]> {
  const found = await Promise.all(outputs.map(async (output): Promise<Found> => ({ output, files: await artifactFiles(root, output) })));
  const missing = found.filter(({ output, files }) => files.length === 0 && !output.optional).map(({ output }) => output.artifact);
  if (missing.length > 0) throw new Error(`the suite passed but did not write ${missing.join(", ")}; nothing copied`);
  const lines: string[] = [];
  for (const { output, files } of found) lines.push(files.length === 0 ? `${output.artifact}: not written, ${output.tracked} left as it is` : await copyOutput(root, output, files));
  return lines;
}

async function artifactFiles(root: string, output: RecordedOutput): Promise<string[]> {
  const path = join(root, output.artifact);
  const ending = output.filesEnding;
  if (ending === undefined) return (await stat(path).catch(() => undefined))?.isFile() ? [""] : [];
  return (await readdir(path).catch(() => [])).filter((file) => file.endsWith(ending)).sort();
}

async function copyOutput(root: string, output: RecordedOutput, files: string[]): Promise<string> {
  const from = join(root, output.artifact);
  const to = join(root, output.tracked);
  const ending = output.filesEnding;
  if (ending === undefined) {
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
    return `${output.artifact} → ${output.tracked}`;
  }
  // The folder is replaced, not merged: no file survives from an older recording.
  await mkdir(to, { recursive: true });
  const replaced = (await readdir(to)).filter((file) => file.endsWith(ending));
  for (const file of replaced) await unlink(join(to, file));
  for (const file of files) await copyFile(join(from, file), join(to, file));
  return `${output.artifact}/*${ending} (${files.length} files) → ${output.tracked}/ (replacing ${replaced.length})`;
}
