import type { CommandRequest, Element, Jid, ParsedPublish, PushError } from "../../../protocol/index.js";
import type { CommandDescription } from "../command-nodes.js";
import type { AppServerContext } from "../context.js";
import type { AppRegistration, ProviderMessage, ProviderResult } from "../types.js";

/** The registration protocols the app server simulator speaks (`createAppServer({ dialects })`). */
export type AppServerDialectName = "mod-push" | "p2" | "tigase" | "v1";

/** One ad-hoc command request, as the dialect that owns its node receives it. */
export interface DialectCommandRequest {
  readonly context: AppServerContext;
  /** The IQ as routed to us (its `from` is stamped by the XMPP server). */
  readonly iq: Element;
  readonly requester: Jid;
  readonly request: CommandRequest;
}

/** A publish to one of the app server's nodes, before anything was checked. */
export interface DialectPublish {
  readonly context: AppServerContext;
  readonly iq: Element;
  /** The IQ's `from`, if any. */
  readonly from: string | undefined;
  readonly publish: ParsedPublish;
  /** The registration the publish's node names, if there is one (of any dialect). */
  readonly registration: AppRegistration | undefined;
}

/** What the dialect answers when a provider did not take a notification. */
export type ProviderFailure = Exclude<ProviderResult, { ok: true }>;

/**
 * One app server's registration protocol, as the simulator answers it. Adding a dialect is one
 * file in this folder exporting a factory, plus one line in `APP_SERVER_DIALECTS` (index.ts);
 * the factory runs once per app server, so a dialect may keep state of its own (v1's throttle).
 *
 * - `commands`: what disco#items on `http://jabber.org/protocol/commands` lists for it, in order
 *   (the app server lists the commands of each of its dialects, in the order they were given).
 * - `handles` / `execute`: the dialect owns the command nodes `handles` says yes to; `execute`
 *   answers the whole `<command/>` (execute → a form stage or a completed result, sessions,
 *   cancel, …) and throws `PushError`s for its refusals, in its own vocabulary.
 *   A registration it makes must record `dialect: <its name>`.
 * - `publish`: its publish rules. `accept` checks a publish (publisher, secret, in the order the
 *   real app server does) and returns the registration to deliver to, or throws the refusal;
 *   `failed` turns a provider's failure into the refusal the app server answers (and may drop
 *   the registration). A publish to a node is judged by the rules of the dialect that made the
 *   node; a publish to an unknown node by those of the first dialect.
 */
export interface AppServerDialect {
  readonly name: AppServerDialectName;
  commands(context: AppServerContext): CommandDescription[];
  handles(node: string, context: AppServerContext): boolean;
  execute(command: DialectCommandRequest): Promise<Element>;
  readonly publish: PublishRules;
}

export interface PublishRules {
  accept(publish: DialectPublish): AppRegistration | Promise<AppRegistration>;
  failed(context: AppServerContext, message: ProviderMessage, failure: ProviderFailure): PushError;
}

export type AppServerDialectFactory = () => AppServerDialect;
