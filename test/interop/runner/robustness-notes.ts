import { readFileSync } from "node:fs";
import { REFERENCE_ARGS, REFERENCE_NODE_FLAGS } from "../../hostile/reference-process.js";
import type { RealServerName } from "../shared.js";
import type { RealServer } from "./real-server.js";

/** How each target met the probes, for the robustness table's header; read while the servers run. */
export function robustnessConfigNotes(servers: ReadonlyMap<RealServerName, RealServer>): string[] {
  const files = (name: RealServerName): string => openFilesLimit(servers.get(name)?.pid);
  return [
    `reference: its own process, as in the hostile suite: \`xmpp-push-sim ${REFERENCE_ARGS.join(" ")}\` (from source, node ${REFERENCE_NODE_FLAGS.join(" ")}); limits at their defaults.`,
    "Prosody: `c2s_require_encryption = false`, `allow_unencrypted_plain_auth = true`, `authentication = \"internal_plain\"`;" +
      ` stanza limits at their defaults (\`c2s_stanza_size_limit\` 256 KiB, 10,000 bytes before login); ${files("prosody")}.`,
    "ejabberd: c2s listener with `starttls_required: false` (PLAIN offered without TLS), `auth_password_format: plain`;" +
      ` no \`max_stanza_size\` (its default: unlimited); ${files("ejabberd")}.`,
  ];
}

/** "open files: soft N, hard M" from /proc/<pid>/limits. */
function openFilesLimit(pid: number | undefined): string {
  try {
    const [soft, hard] = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/limits`, "utf8"))?.slice(1) ?? [];
    if (soft && hard) return `open files: soft ${soft}, hard ${hard}`;
  } catch {
    // Not running or no /proc.
  }
  return "open files limit unknown";
}
