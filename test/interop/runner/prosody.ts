import { access, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOMAIN, MUC_JID, PASSWORD, PUSH_JID, type RealServerInfo, USERS } from "../shared.js";
import { freePorts, waitForPorts } from "./ports.js";
import type { RealServer, ServerOptions } from "./real-server.js";
import { runCommand, ServerProcess, tail } from "./server-process.js";

const CLOUD_NOTIFY = "/usr/lib/prosody/modules/mod_cloud_notify/mod_cloud_notify.lua";
const COMPONENT_SECRET = "interop-secret";
/** Low so the suite sees the cut-off; Prosody's default is 16. */
const PUSH_MAX_ERRORS = 2;

/** Prosody 0.12 + mod_cloud_notify along realservers.md's working recipe, in a fresh temporary directory. */
export async function createProsody(commands: { prosody: string; prosodyctl: string }, packageVersions: string, options: ServerOptions = {}): Promise<RealServer> {
  await access(CLOUD_NOTIFY).catch(() => {
    throw new Error(`${CLOUD_NOTIFY} is missing: install the prosody-modules package`);
  });
  const dir = await mkdtemp(join(tmpdir(), "xmpp-push-prosody-"));
  const [c2s, http, component] = (await freePorts(3)) as [number, number, number];
  const config = join(dir, "prosody.cfg.lua");
  await mkdir(join(dir, "data"));
  await mkdir(join(dir, "certs"));
  const logFile = join(dir, "prosody.log");
  await writeFile(config, prosodyConfig({ dir, logFile, c2s, http, component, withBody: options.withBody ?? false, logLevel: options.logLevel ?? "debug" }));

  for (const user of options.users ?? USERS) await runCommand(commands.prosodyctl, ["--config", config, "register", user, DOMAIN, PASSWORD], { timeout: 20_000 });
  const about = await runCommand(commands.prosodyctl, ["--config", config, "about"], { timeout: 20_000 });
  // Not just "Prosody …": without lua-unbound, `about` first warns "Prosody was unable to find lua-unbound".
  const version = about.split("\n").find((line) => /^Prosody \d/.test(line)) ?? "Prosody (version unknown)";

  const info: RealServerInfo = {
    name: "prosody",
    version: `${version} (${packageVersions})`,
    tcp: `xmpp://127.0.0.1:${c2s}`,
    websocket: `ws://127.0.0.1:${http}/xmpp-websocket`,
    component: `xmpp://127.0.0.1:${component}`,
    componentSecret: COMPONENT_SECRET,
    maxPublishErrors: PUSH_MAX_ERRORS,
    logFile,
  };
  let current: ServerProcess | undefined;
  let listeningAfterMs: number | undefined;

  return {
    info,
    dir,
    get listeningAfterMs() {
      return listeningAfterMs;
    },
    get running() {
      return current?.running ?? false;
    },
    get pid() {
      return current?.running ? current.pid : undefined;
    },
    async start() {
      const spawnedAt = Date.now();
      const started = new ServerProcess("prosody", commands.prosody, ["--config", config], { cwd: dir, logFile: join(dir, "stdout.log") });
      current = started;
      try {
        await waitForPorts([c2s, http, component], 20_000, () => started.exitReason);
        listeningAfterMs = Date.now() - spawnedAt;
      } catch (error) {
        await started.kill();
        throw new Error(`Prosody did not start: ${(error as Error).message}\n${tail(logFile)}\n${tail(join(dir, "stdout.log"))}`);
      }
    },
    async kill() {
      await current?.kill();
    },
    async stop() {
      await current?.stop();
    },
    killNow() {
      current?.signal("SIGKILL");
    },
  };
}

function prosodyConfig(at: { dir: string; logFile: string; c2s: number; http: number; component: number; withBody: boolean; logLevel: string }): string {
  return `-- Written by test/interop/run.ts: loopback only, plain auth without TLS.
daemonize = false
-- Needed only when the runner is root (CI containers); otherwise Prosody runs as the current user.
run_as_root = true
data_path = ${JSON.stringify(join(at.dir, "data"))}
certificates = ${JSON.stringify(join(at.dir, "certs"))}
log = { { levels = { min = "${at.logLevel}" }, to = "file", filename = ${JSON.stringify(at.logFile)} }, { levels = { min = "error" }, to = "console" } }
interfaces = { "127.0.0.1" }
c2s_ports = { ${at.c2s} }
s2s_ports = { }
http_ports = { ${at.http} }
http_interfaces = { "127.0.0.1" }
https_ports = { }
https_interfaces = { }
component_ports = { ${at.component} }
component_interface = "127.0.0.1"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"
storage = "internal"
consider_websocket_secure = true
push_max_errors = ${PUSH_MAX_ERRORS}
push_notification_with_body = ${String(at.withBody)}
modules_enabled = { "roster", "saslauth", "disco", "ping", "smacks", "carbons", "offline", "mam", "cloud_notify", "websocket" }
-- mod_mam archives every chat message (default_archive_policy = true) in the internal store,
-- which lives in this run's temporary data_path; a day is longer than any run.
archive_expires_after = "1d"
modules_disabled = { "s2s", "tls" }
VirtualHost "${DOMAIN}"
Component "${PUSH_JID}"
  component_secret = "${COMPONENT_SECRET}"
Component "${MUC_JID}" "muc"
`;
}
