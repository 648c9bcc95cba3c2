// Relative, not "xmpp-push/sim": the unit tests import this file without a build.
import { PRESETS, type Preset } from "../src/sim/index.js";

/** Where the pushes go: an XEP-0357 app server, or MongooseIM's two setups of seed 004. */
export const SETUPS = ["app-server", "mongooseim-pubsub-full", "mongooseim-pubsub-less"] as const;
export type SetupName = (typeof SETUPS)[number];

/** The app server dialects the chain benchmark can run end to end (the SDK and the app server speak it). */
export const BENCH_DIALECTS = ["mod-push", "p2", "v1", "tigase"] as const;
export type BenchDialect = (typeof BENCH_DIALECTS)[number];

/** The largest room the fan-out run builds: every member is a real client that logs in once. */
export const MAX_FANOUT = 10_000;

/** Users × messages of one chain run. */
export interface ChainSize {
  users: number;
  messages: number;
}

/** Without --users and --messages the chain runs at these three sizes, so growth shows. */
export const DEFAULT_SIZES: readonly ChainSize[] = [
  { users: 100, messages: 10_000 },
  { users: 1_000, messages: 20_000 },
  { users: 2_000, messages: 60_000 },
];

export interface ChainBenchOptions {
  /** What the --push2 and --encrypt runs use (1,000 × 20,000 unless given). */
  users: number;
  messages: number;
  /** Every size the chain runs at, each against the XML floor. */
  sizes: ChainSize[];
  /** Rounds per size, the floor and the chain interleaved. */
  rounds: number;
  window: number;
  mam: boolean;
  setup: SetupName;
  preset: Preset;
  dialect: BenchDialect;
  /** Tigase's encrypted pushes, measured on and off in the same run. */
  encrypt: boolean;
  /** v1's per-node throttle window in ms, set explicitly (the app server's default is 5 000). */
  v1RateLimit: number;
  /** `--muc-fanout 10,100,1000`: room sizes for the MUC fan-out run instead of the chain run. */
  mucFanout?: number[];
  /** Groupchat messages sent one after another to each room of the fan-out run. */
  mucMessages: number;
  /** `--push2`: Push 2.0 (server → relay → push service) against XEP-0357 Web Push, same run. */
  push2: boolean;
}

/** A command line the benchmark cannot run; its message says why. */
export class BenchUsageError extends Error {
  override name = "BenchUsageError";
}

const NUMBERS = ["users", "messages", "window", "rounds", "v1-rate-limit", "muc-messages"] as const;
const STRINGS = ["setup", "preset", "dialect", "muc-fanout"] as const;
const FLAGS = ["mam", "encrypt", "push2"] as const;

/** Reads `npm run bench -- …`'s arguments (without node and the script); every mistake is a `BenchUsageError`. */
export function parseChainBenchOptions(argv: readonly string[]): ChainBenchOptions {
  const given = readArguments(argv);
  const number = (name: (typeof NUMBERS)[number], fallback: number, minimum = 1): number => {
    const text = given.get(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) throw new BenchUsageError(`--${name} must be a whole number of at least ${minimum}, not '${text}'`);
    return value;
  };

  const setup = oneOf("setup", given.get("setup") ?? "app-server", SETUPS);
  const dialectText = given.get("dialect");
  if (dialectText !== undefined && setup !== "app-server") throw new BenchUsageError(`--dialect needs --setup app-server (${setup} has its own: mongooseim)`);
  const dialect = oneOf("dialect", dialectText ?? "mod-push", BENCH_DIALECTS);
  // MongooseIM's setups run under its preset, the tigase dialect under Tigase's, unless --preset says otherwise.
  const defaultPreset = setup !== "app-server" ? "mongooseim" : dialect === "tigase" ? "tigase" : "reference";
  const preset = oneOf("preset", given.get("preset") ?? defaultPreset, Object.keys(PRESETS) as Preset[]);
  const encrypt = given.has("encrypt");
  if (encrypt && (dialect !== "tigase" || preset !== "tigase")) {
    throw new BenchUsageError("--encrypt needs --dialect tigase with preset tigase (the reference server's Tigase encrypt module)");
  }
  if (given.has("v1-rate-limit") && dialect !== "v1") throw new BenchUsageError("--v1-rate-limit applies to --dialect v1 only");

  const users = number("users", 1000);
  const messages = number("messages", 20_000);
  const sized = given.has("users") || given.has("messages");
  const options: ChainBenchOptions = {
    users,
    messages,
    sizes: sized ? [{ users, messages }] : DEFAULT_SIZES.map((size) => ({ ...size })),
    rounds: number("rounds", 3),
    window: number("window", 100),
    mam: given.has("mam"),
    setup,
    preset,
    dialect,
    encrypt,
    v1RateLimit: number("v1-rate-limit", 0, 0),
    mucMessages: number("muc-messages", 3),
    push2: given.has("push2"),
  };
  if (options.push2) {
    const others = [...given.keys()].filter((name) => !["push2", "users", "messages", "window"].includes(name));
    if (others.length > 0) throw new BenchUsageError(`--push2 runs its own two setups (reference server, push service on loopback); drop --${others.join(", --")}`);
  }
  const fanout = given.get("muc-fanout");
  if (fanout !== undefined) {
    const others = [...given.keys()].filter((name) => !["muc-fanout", "muc-messages"].includes(name));
    if (others.length > 0) throw new BenchUsageError(`--muc-fanout runs its own setup (reference preset, mod-push app server, MUC service); drop --${others.join(", --")}`);
    options.mucFanout = fanout.split(",").map((size) => {
      const value = Number(size);
      if (!Number.isInteger(value) || value < 1 || value > MAX_FANOUT) throw new BenchUsageError(`--muc-fanout takes room sizes from 1 to ${MAX_FANOUT}, comma-separated, not '${size}'`);
      return value;
    });
  } else if (given.has("muc-messages")) {
    throw new BenchUsageError("--muc-messages applies to --muc-fanout only");
  }
  return options;
}

/** `--name value` and `--flag` pairs; an unknown name, a missing value or a repeated name is refused. */
function readArguments(argv: readonly string[]): Map<string, string> {
  const given = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const name = argument.startsWith("--") ? argument.slice(2) : undefined;
    if (name === undefined) throw new BenchUsageError(`unexpected argument '${argument}'`);
    if (given.has(name)) throw new BenchUsageError(`--${name} is given twice`);
    if ((FLAGS as readonly string[]).includes(name)) {
      given.set(name, "");
      continue;
    }
    if (!(NUMBERS as readonly string[]).includes(name) && !(STRINGS as readonly string[]).includes(name)) {
      throw new BenchUsageError(`unknown option --${name} (options: ${[...NUMBERS, ...STRINGS, ...FLAGS].map((known) => `--${known}`).join(" ")})`);
    }
    const value = argv[index + 1];
    if (value === undefined || value.startsWith("--")) throw new BenchUsageError(`--${name} needs a value`);
    given.set(name, value);
    index++;
  }
  return given;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new BenchUsageError(`--${name} must be one of ${allowed.join(", ")}, not '${value}'`);
}
