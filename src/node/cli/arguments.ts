import { parseArgs } from "node:util";
import { toJid } from "../../protocol/index.js";
import { type Preset, PRESETS } from "../../sim/index.js";
import { UsageError } from "./usage-error.js";

export interface CliOptions {
  domain: string;
  /** username → password */
  users: Record<string, string>;
  host: string;
  /** `undefined`: no TCP listener. 0: a free port. */
  tcpPort: number | undefined;
  /** `undefined`: no WebSocket listener. 0: a free port. */
  wsPort: number | undefined;
  preset: Preset;
  /** The app server simulator's JID; `undefined`: none attached. */
  appServer: string | undefined;
  withBody: boolean;
  /** The server's `authTimeout`, ms; undefined: its default. */
  authTimeout: number | undefined;
  /** The server's `maxStanzaSize`; undefined: its default. */
  maxStanzaSize: number | undefined;
}

export type CliCommand = { kind: "help" } | { kind: "run"; options: CliOptions };

const OPTIONS = {
  domain: { type: "string" },
  user: { type: "string", multiple: true },
  host: { type: "string" },
  "tcp-port": { type: "string" },
  "ws-port": { type: "string" },
  "no-tcp": { type: "boolean" },
  "no-ws": { type: "boolean" },
  preset: { type: "string" },
  "app-server": { type: "string" },
  "no-app-server": { type: "boolean" },
  "with-body": { type: "boolean" },
  "auth-timeout": { type: "string" },
  "max-stanza-size": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const DEFAULT_USERS = ["alice:pw", "bob:pw"];

/** Reads the command line (without node and the script); a bad one throws {@link UsageError}. */
export function parseCliArguments(args: string[]): CliCommand {
  const { values } = readArguments(args);
  if (values.help) return { kind: "help" };

  const domain = parseDomain(values.domain ?? "example.test", "--domain");
  if (values["no-tcp"] && values["no-ws"]) throw new UsageError("conflict", "--no-tcp and --no-ws leave nothing to connect to");
  const tcpPort = optionalPort(values, "tcp-port", "no-tcp", 5222);
  const wsPort = optionalPort(values, "ws-port", "no-ws", 5280);
  if (tcpPort !== undefined && tcpPort !== 0 && tcpPort === wsPort) {
    throw new UsageError("conflict", `--tcp-port and --ws-port are both ${tcpPort}`);
  }
  const host = values.host ?? "127.0.0.1";
  if (host === "") throw new UsageError("bad-value", "--host needs an address, e.g. 127.0.0.1");

  return {
    kind: "run",
    options: {
      domain,
      users: parseUsers(values.user ?? DEFAULT_USERS, domain),
      host,
      tcpPort,
      wsPort,
      preset: parsePreset(values.preset ?? "reference"),
      appServer: parseAppServer(values["app-server"], values["no-app-server"] ?? false, domain),
      withBody: values["with-body"] ?? false,
      authTimeout: optionalPositive(values["auth-timeout"], "--auth-timeout"),
      maxStanzaSize: optionalPositive(values["max-stanza-size"], "--max-stanza-size"),
    },
  };
}

function readArguments(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    throw usageErrorOf(error);
  }
}

/** node:util's parseArgs errors carry a code; the message is already clear. */
function usageErrorOf(error: unknown): UsageError {
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return new UsageError("unknown-option", text);
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return new UsageError("unexpected-argument", text);
  return new UsageError("bad-value", text);
}

function optionalPort(
  values: Record<string, string | boolean | string[] | undefined>,
  name: "tcp-port" | "ws-port",
  skip: "no-tcp" | "no-ws",
  fallback: number,
): number | undefined {
  const value = values[name] as string | undefined;
  if (values[skip]) {
    if (value !== undefined) throw new UsageError("conflict", `--${name} and --${skip} contradict each other`);
    return undefined;
  }
  return value === undefined ? fallback : parsePort(value, `--${name}`);
}

function optionalPositive(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number > 0)) throw new UsageError("bad-value", `${option} needs a positive whole number, not '${value}'`);
  return number;
}

function parsePort(value: string, option: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new UsageError("bad-value", `${option} needs a port from 0 to 65535 (0 = a free port), not '${value}'`);
  return port;
}

function parseDomain(value: string, option: string): string {
  const jid = parseJid(value, option);
  if (jid.local || jid.resource) throw new UsageError("bad-value", `${option} needs a domain such as example.test, not the address '${value}'`);
  return jid.domain;
}

function parseUsers(entries: string[], domain: string): Record<string, string> {
  const users: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const name = colon === -1 ? entry : entry.slice(0, colon);
    // The password may itself hold colons.
    const password = colon === -1 ? "" : entry.slice(colon + 1);
    if (!name || !password) throw new UsageError("bad-value", `--user needs name:password, e.g. alice:pw, not '${entry}'`);
    const jid = parseJid(`${name}@${domain}`, "--user");
    if (jid.resource) throw new UsageError("bad-value", `--user: '${name}' is not a valid username`);
    if (jid.local in users) throw new UsageError("conflict", `--user ${jid.local} is given twice`);
    users[jid.local] = password;
  }
  return users;
}

function parsePreset(value: string): Preset {
  const presets = Object.keys(PRESETS);
  if (!presets.includes(value)) throw new UsageError("bad-value", `--preset must be one of ${presets.join(", ")}, not '${value}'`);
  return value as Preset;
}

function parseAppServer(value: string | undefined, none: boolean, domain: string): string | undefined {
  if (none) {
    if (value !== undefined) throw new UsageError("conflict", "--app-server and --no-app-server contradict each other");
    return undefined;
  }
  const jid = parseDomain(value ?? `push.${domain}`, "--app-server");
  if (jid === domain) throw new UsageError("conflict", `--app-server must differ from the XMPP domain ${domain}`);
  return jid;
}

function parseJid(value: string, option: string) {
  try {
    return toJid(value);
  } catch (error) {
    throw new UsageError("bad-value", `${option}: ${(error as Error).message}`);
  }
}
