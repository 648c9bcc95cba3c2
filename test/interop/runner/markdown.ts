/** Text for one cell of a Markdown table. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export interface RunHeader {
  title: string;
  /** Where `npm run record` copies the file, e.g. docs/interop.md. */
  tracked: string;
  date: string;
  durationSeconds: number;
  exitCode: number;
  versions: string[];
}

/** The opening every table of the interop run shares: title, when and how the run went, the versions. */
export function runHeader(header: RunHeader): string[] {
  return [
    `# ${header.title}`,
    "",
    `Written by \`npm run test:interop\` on ${header.date} (run took ${header.durationSeconds.toFixed(0)} s, suite exit code ${header.exitCode}); \`npm run record\` copies it to ${header.tracked}.`,
    "",
    ...header.versions.map((version) => `- ${version}`),
    "",
  ];
}
