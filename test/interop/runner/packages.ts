import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";

const REQUIRED = [
  { command: "prosody", pkg: "prosody" },
  { command: "prosodyctl", pkg: "prosody" },
  { command: "ejabberdctl", pkg: "ejabberd" },
  { command: "erl", pkg: "ejabberd (erlang-base)" },
] as const;

export const INSTALL_HINT = "sudo apt-get update && sudo apt-get install -y prosody prosody-modules ejabberd";

/** The absolute path of a command, looking in PATH and in the sbin directories non-root PATHs miss. */
export async function findCommand(command: string): Promise<string | undefined> {
  const directories = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
  for (const directory of directories.filter(Boolean)) {
    const candidate = join(directory, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Fails with an install hint naming every missing piece. */
export async function requireServerPackages(): Promise<void> {
  const missing: string[] = [];
  for (const { command, pkg } of REQUIRED) {
    if (!(await findCommand(command))) missing.push(`${command} (package ${pkg})`);
  }
  if (missing.length > 0) {
    throw new Error(`the interop suite runs real Prosody and ejabberd, but this machine lacks: ${missing.join(", ")}.\nInstall them with:\n  ${INSTALL_HINT}`);
  }
}

/** "prosody 0.12.3-1+deb12u1, prosody-modules …, ejabberd 23.01-1" from dpkg, or "" without dpkg. */
export function debianVersions(packages: string[]): Promise<Record<string, string>> {
  return new Promise((resolve) => {
    execFile("dpkg-query", ["-W", "-f=${Package} ${Version}\\n", ...packages], { timeout: 10_000 }, (_error, stdout) => {
      const versions: Record<string, string> = {};
      for (const line of String(stdout ?? "").split("\n")) {
        const [name, version] = line.trim().split(" ");
        if (name && version) versions[name] = version;
      }
      resolve(versions);
    });
  });
}
