import { type DiscoInfo, type Element, PushError } from "../protocol/index.js";
import { executeCommand } from "./commands.js";
import type { Dialect, DialectRegisterInput } from "./dialects/index.js";
import { sendRequest } from "./request.js";
import type { ListedRegistration, UnregisterOptions, XmppConnection } from "./types.js";

/** What a dialect call needs of the client: the connection, its timeout, and how to read a peer's answer. */
export interface DialectIo {
  readonly xmpp: XmppConnection;
  readonly timeout: number;
  readonly account: string;
  /** Turns a parser's failure into `PushError('bad-response')`. */
  parse<T>(parse: () => T): T;
}

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
  if (!dialect) return [];
  return dialect.kind === "requests" ? [] : dialect.providers(commandNodes);
}

export async function registerWith(
  dialect: Dialect,
  io: DialectIo,
  appServer: string,
  input: DialectRegisterInput & { virtualPubsubHost: boolean },
): Promise<DialectRegistered> {
  if (dialect.kind === "requests") return dialect.register(channelOf(io), { ...input, service: appServer });
  const call = dialect.register(input);
  const response = await executeCommand(io.xmpp, appServer, call.node, call.values, io.timeout);
  const registered = io.parse(() => dialect.parseRegistered(response.form, appServer));
  const publishOptions: Record<string, string> = registered.secret === undefined ? {} : { secret: registered.secret };
  return { ...registered, publishOptions };
}

export async function listWith(dialect: Dialect, io: DialectIo, appServer: string): Promise<ListedRegistration[]> {
  if (dialect.kind === "requests") throw new PushError("not-supported", `the ${dialect.name} dialect has no registration list`);
  const call = dialect.list();
  const response = await executeCommand(io.xmpp, appServer, call.node, call.values, io.timeout);
  return io.parse(() => dialect.parseList(response.form));
}

export async function unregisterWith(dialect: Dialect, io: DialectIo, appServer: string, options: UnregisterOptions): Promise<string[]> {
  if (dialect.kind === "requests") {
    if (!options.nodes?.length) throw new PushError("not-supported", `the ${dialect.name} dialect removes registrations by node only`);
    return dialect.unregister(channelOf(io), appServer, options.nodes);
  }
  const call = dialect.unregister(options);
  const response = await executeCommand(io.xmpp, appServer, call.node, call.values, io.timeout);
  return io.parse(() => dialect.parseUnregistered(response.form, options));
}

function channelOf(io: DialectIo): { account: string; request(iq: Element): Promise<Element> } {
  return { account: io.account, request: (iq) => sendRequest(io.xmpp, iq, io.timeout) };
}
