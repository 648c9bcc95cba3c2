import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOMAIN, MUC_JID, PASSWORD, PUSH_JID, type RealServerInfo, USERS } from "../shared.js";
import { freePorts, waitForPorts } from "./ports.js";
import type { RealServer, ServerOptions } from "./real-server.js";
import { runCommand, ServerProcess, tail } from "./server-process.js";

const COMPONENT_SECRET = "interop-secret";
/** The first start creates the Mnesia database (about 30 s on a cold machine). */
const START_TIMEOUT = 120_000;

/**
 * ejabberd 23.01 + mod_push along realservers.md's working recipe, as a private node in a fresh
 * temporary directory. The node uses a fixed distribution port (ERL_DIST_PORT) instead of epmd,
 * so no epmd daemon is started, nothing is left behind, and other Erlang nodes are untouched.
 */
export async function createEjabberd(systemEjabberdctl: string, packageVersions: string, options: ServerOptions = {}): Promise<RealServer> {
  const dir = await mkdtemp(join(tmpdir(), "xmpp-push-ejabberd-"));
  const [c2s, http, component, distribution] = (await freePorts(4)) as [number, number, number, number];
  const spool = join(dir, "spool");
  const logs = join(dir, "logs");
  await mkdir(spool);
  await mkdir(logs);
  await copyFile("/etc/ejabberd/inetrc", join(dir, "inetrc"));
  await writeFile(join(dir, "ejabberd.yml"), ejabberdConfig({ c2s, http, component }, options.withBody ?? false));
  const node = `xmpppush${randomBytes(4).toString("hex")}@localhost`;
  await writeFile(
    join(dir, "ejabberdctl.cfg"),
    [
      `EJABBERD_CONFIG_PATH=${join(dir, "ejabberd.yml")}`,
      `ERLANG_NODE=${node}`,
      `ERL_DIST_PORT=${distribution}`,
      "INET_DIST_INTERFACE=127.0.0.1",
      `EJABBERD_PID_PATH=${join(dir, "ejabberd.pid")}`,
      "EJABBERD_BYPASS_WARNINGS=true",
      "",
    ].join("\n"),
  );
  const ctl = await privateEjabberdctl(systemEjabberdctl, dir);
  const ctlArgs = ["--config-dir", dir, "--spool", spool, "--logs", logs];
  // Erlang writes its cookie to $HOME: keep it in the temporary directory.
  const env = { ...process.env, HOME: dir };
  const logFile = join(logs, "ejabberd.log");

  const info: RealServerInfo = {
    name: "ejabberd",
    version: `ejabberd (${packageVersions})`,
    tcp: `xmpp://127.0.0.1:${c2s}`,
    websocket: `ws://127.0.0.1:${http}/xmpp-websocket`,
    component: `xmpp://127.0.0.1:${component}`,
    componentSecret: COMPONENT_SECRET,
    maxPublishErrors: 1,
    logFile,
  };
  let current: ServerProcess | undefined;
  let listeningAfterMs: number | undefined;
  let usersRegistered = false;

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
      const started = new ServerProcess("ejabberd", ctl, [...ctlArgs, "foreground"], { cwd: dir, env, logFile: join(dir, "stdout.log") });
      current = started;
      try {
        await waitForPorts([c2s, http, component], START_TIMEOUT, () => started.exitReason);
        listeningAfterMs = Date.now() - spawnedAt;
        if (!usersRegistered) {
          // Each ejabberdctl call boots an Erlang VM (about 1 s of CPU): a few at a time.
          const users = [...(options.users ?? USERS)];
          for (let first = 0; first < users.length; first += 6) {
            const batch = users.slice(first, first + 6);
            await Promise.all(batch.map((user) => runCommand(ctl, [...ctlArgs, "register", user, DOMAIN, PASSWORD], { cwd: dir, env, timeout: 30_000 })));
          }
          usersRegistered = true;
        }
        const status = await runCommand(ctl, [...ctlArgs, "status"], { cwd: dir, env, timeout: 30_000 });
        const version = /ejabberd (\S+) is running/.exec(status)?.[1];
        if (version) info.version = `ejabberd ${version} (${packageVersions})`;
      } catch (error) {
        await started.kill();
        throw new Error(`ejabberd did not start: ${(error as Error).message}\n${tail(logFile)}\n${tail(join(dir, "stdout.log"))}`);
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

/**
 * Debian's ejabberdctl runs only as root or `ejabberd` and, as root, switches to `ejabberd` via
 * su (which cannot write our temporary directory and hides the server's PID behind su). A copy
 * with INSTALLUSER emptied runs ejabberd as whoever runs the suite, and `exec`s the Erlang VM so
 * that the PID the runner holds is the server's own (and the runner, as its parent, reaps it).
 */
async function privateEjabberdctl(systemEjabberdctl: string, dir: string): Promise<string> {
  const original = await readFile(systemEjabberdctl, "utf8");
  const installUser = /^INSTALLUSER=ejabberd$/m;
  const runAsCurrentUser = /^(\s*as_current_user\)) "\$@" ;;$/m;
  if (!installUser.test(original) || !runAsCurrentUser.test(original)) {
    throw new Error(`${systemEjabberdctl} is not the ejabberdctl this runner knows (INSTALLUSER / as_current_user lines): adapt test/interop/runner/ejabberd.ts`);
  }
  const copy = join(dir, "ejabberdctl");
  await writeFile(copy, original.replace(installUser, "INSTALLUSER=").replace(runAsCurrentUser, '$1 exec "$@" ;;'));
  await chmod(copy, 0o755);
  return copy;
}

function ejabberdConfig(ports: { c2s: number; http: number; component: number }, withBody: boolean): string {
  return `# Written by test/interop/run.ts: loopback only, plain auth without TLS.
hosts: [${DOMAIN}]
loglevel: info
listen:
  - {port: ${ports.c2s}, ip: "127.0.0.1", module: ejabberd_c2s, starttls_required: false}
  - {port: ${ports.http}, ip: "127.0.0.1", module: ejabberd_http, request_handlers: {/xmpp-websocket: ejabberd_http_ws}}
  - {port: ${ports.component}, ip: "127.0.0.1", module: ejabberd_service, hosts: {${PUSH_JID}: {password: ${COMPONENT_SECRET}}}}
auth_method: internal
auth_password_format: plain
acl: {local: {user_regexp: ""}}
access_rules: {local: {allow: local}, c2s: {allow: all}}
modules:
  mod_disco: {}
  mod_mam: {}
  mod_muc: {host: "${MUC_JID}"}
  mod_offline: {}
  mod_ping: {}
  mod_roster: {}
  mod_stream_mgmt: {resend_on_timeout: if_offline}
  mod_push: {${withBody ? "include_body: true" : ""}}
  mod_push_keepalive: {}
`;
}
