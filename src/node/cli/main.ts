import { type CliOptions, parseCliArguments } from "./arguments.js";
import { lineWriter } from "./json-lines.js";
import { logHops } from "./hop-log.js";
import { type RunningSimulators, startSimulators } from "./simulators.js";
import { stopOnSignal } from "./stop-on-signal.js";
import { USAGE } from "./usage.js";
import { UsageError } from "./usage-error.js";

/** Long enough for sessions to get their stream errors; short enough for a test runner's teardown. */
const STOP_TIMEOUT_MS = 5_000;

const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function fail(message: string, code: number): never {
  process.stderr.write(`xmpp-push-sim: ${message}\n`);
  process.exit(code);
}

function readCommandLine() {
  try {
    return parseCliArguments(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message}\nTry 'xmpp-push-sim --help'.`, EXIT.usage);
    throw error;
  }
}

function listeningFields(options: CliOptions, simulators: RunningSimulators) {
  return {
    domain: simulators.server.domain,
    tcp: simulators.tcp?.service ?? null,
    websocket: simulators.websocket?.service ?? null,
    appServer: simulators.appServer?.jid ?? null,
    users: Object.keys(options.users),
    preset: options.preset,
    withBody: options.withBody,
    pid: process.pid,
  };
}

const command = readCommandLine();
if (command.kind === "help") {
  process.stdout.write(USAGE);
  process.exit(EXIT.ok);
}
const { options } = command;
const simulators = await startSimulators(options).catch((error: unknown) => fail((error as Error).message, EXIT.failed));
const write = lineWriter(process.stdout);
// Counted here: appServer.deliveries keeps only the latest deliveryLimit.
let deliveries = 0;
simulators.appServer?.on("delivered", () => void deliveries++);
// Before the listening line: whoever reads it may signal at once.
stopOnSignal(() => simulators.close(), STOP_TIMEOUT_MS, ({ signal, result, error }) => {
  if (result !== "stopped") process.stderr.write(`xmpp-push-sim: stopping ${result === "failed" ? `failed: ${String(error)}` : `took over ${STOP_TIMEOUT_MS} ms`}\n`);
  write("stopped", { signal, clean: result === "stopped", deliveries: simulators.appServer ? deliveries : undefined });
  process.exit(result === "stopped" ? EXIT.ok : EXIT.failed);
});
logHops(simulators.server, simulators.appServer, write);
write("listening", listeningFields(options, simulators));
process.stderr.write(
  `xmpp-push-sim: ${options.domain} (${options.preset}) on ${[simulators.tcp?.service, simulators.websocket?.service].filter(Boolean).join(" and ")}` +
    `${simulators.appServer ? `, app server ${simulators.appServer.jid}` : ""}; Ctrl-C stops it\n`,
);
