import { type DataForm, type DiscoInfo, type FieldValue, PushError } from "../protocol/index.js";
import { executeCommand } from "./commands.js";
import type { Dialect, DialectRegisterInput } from "./dialects/index.js";
import type { DialectChannel } from "./dialects/types.js";
import type { ListedRegistration, UnregisterOptions } from "./types.js";

export interface DialectRegistered {
  jid: string;
  node: string;
  secret?: string;
  publishOptions: Record<string, string>;
  features?: string[];
  maxPayloadSize?: number;
}

/** The dialect an app server speaks: by its command nodes (command dialects) or by its disco#info (requests dialects). */
export function dialectOf(dialects: readonly Dialect[], commandNodes: readonly string[], info: DiscoInfo): Dialect | undefined {
  return dialects.find((dialect) => (dialect.kind === "requests" ? dialect.matchesService(info) : dialect.matches(commandNodes)));
}

export function providersOf(dialect: Dialect | undefined, commandNodes: readonly string[]): string[] {
  return dialect && dialect.kind !== "requests" ? dialect.providers(commandNodes) : [];
}

export async function registerWith(
  dialect: Dialect,
  channel: DialectChannel,
  appServer: string,
  input: DialectRegisterInput & { virtualPubsubHost: boolean },
): Promise<DialectRegistered> {
  if (dialect.kind === "requests") return dialect.register(channel, { ...input, service: appServer });
  const registered = await run(channel, appServer, dialect.register(input), (form) => dialect.parseRegistered(form, appServer));
  return { ...registered, publishOptions: registered.secret === undefined ? {} : { secret: registered.secret } };
}

export function listWith(dialect: Dialect, channel: DialectChannel, appServer: string): Promise<ListedRegistration[]> {
  if (dialect.kind === "requests") throw new PushError("not-supported", `the ${dialect.name} dialect has no registration list`);
  return run(channel, appServer, dialect.list(), (form) => dialect.parseList(form));
}

export async function unregisterWith(dialect: Dialect, channel: DialectChannel, appServer: string, options: UnregisterOptions): Promise<string[]> {
  if (dialect.kind !== "requests") return run(channel, appServer, dialect.unregister(options), (form) => dialect.parseUnregistered(form, options));
  if (!options.nodes?.length) throw new PushError("not-supported", `the ${dialect.name} dialect removes registrations by node only`);
  return dialect.unregister(channel, appServer, options.nodes);
}

/** Runs a dialect's command at the app server and reads its completed form. */
async function run<T>(channel: DialectChannel, appServer: string, call: { node: string; values: Record<string, FieldValue | undefined> }, read: (form: DataForm | undefined) => T): Promise<T> {
  const { form } = await executeCommand(channel.request, appServer, call.node, call.values);
  return readAnswer(() => read(form));
}

/** Parser failures on a peer's answer become `PushError('bad-response')`. */
export function readAnswer<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof PushError && error.condition === "bad-response") throw error;
    throw new PushError("bad-response", error instanceof Error ? error.message : String(error), { cause: error });
  }
}
