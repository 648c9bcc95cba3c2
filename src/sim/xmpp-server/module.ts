import type { DataForm, Element, Summary } from "../../protocol/index.js";
import type { IqHandler } from "../iq-router.js";
import type { SaslOutcome } from "./c2s/sasl.js";
import type { StreamError, StreamErrorCondition } from "./c2s/stream-error.js";
import type { HookHandler } from "./hooks.js";
import type { XmppServerEvents } from "./events.js";

/** Rewrites or swallows (undefined) a stanza on its way into or out of a session, like Prosody's stanza filters. */
export type StanzaFilter = (stanza: Element) => Element | undefined;

/** One client session as modules see it. */
export interface ClientSession {
  /** The authenticated username (lower case), once SASL succeeded. */
  readonly username: string | undefined;
  /** The account's bare JID, once SASL succeeded. */
  readonly account: string | undefined;
  /** The full JID, once a resource is bound. */
  readonly jid: string | undefined;
  /** Bound: on a live connection or kept after the connection dropped (hibernated). */
  readonly bound: boolean;
  /** Has a live connection. */
  readonly connected: boolean;
  /** Sent initial presence and not unavailable since. */
  readonly available: boolean;
  /** Filters every stanza to and from the client passes, in order (`in`: from the client, after counting as received). */
  readonly filters: { readonly in: StanzaFilter[]; readonly out: StanzaFilter[] };
  /** Sends a stanza through the `out` filters. */
  send(stanza: Element): void;
  /**
   * Calls `ready` on a later turn, once the connection has written out what was sent to it (at
   * once on the next turn when nothing waits, or when there is no connection): how a module with
   * much to send keeps the output, and the memory it holds, bounded.
   */
  whenWritable(ready: () => void): void;
  /** Writes a nonza (e.g. `<r/>`) straight to the connection, past the filters. */
  write(element: Element): void;
  /** Ends the stream with an error and the session with it. */
  streamError(condition: StreamErrorCondition | StreamError, text?: string): void;
  /** Ends a session that lives on without a connection (hibernated): it unbinds. */
  destroy(): void;
  /**
   * Moves `successor`'s connection (a new, authenticated, unbound session of the same account)
   * into this session, which goes on as if never interrupted: XEP-0198 resumption. This
   * session's old connection, if it still has one, is closed.
   */
  resumeWith(successor: ClientSession): void;
  /** Before authentication, the core's SASL mechanisms for a module that frames them its own way (XEP-0388); undefined after. */
  readonly sasl: SaslExchange | undefined;
  /**
   * Binds a resource to an authenticated, unbound session (XEP-0386 binds inside the SASL2
   * success) and fires `resource-bind`: the full JID, or undefined when `resource` cannot be a
   * resourcepart. Without one the server picks a random resource.
   */
  bindResource(resource: string | undefined): string | undefined;
}

/**
 * The core's SASL mechanisms (PLAIN on a confidential link, SCRAM-SHA-1 on others), without
 * RFC 6120's elements. Each call runs one step; `settled` gets its outcome (at once, or after
 * SCRAM's hashing, with what the client sends meanwhile held back). On success the session is
 * authenticated before `settled` runs, the stream is not restarted, and the core sends the
 * features of the new state right after what `settled` sent; the third failure ends the stream.
 */
export interface SaslExchange {
  readonly mechanisms: readonly string[];
  /** A challenge went out and the mechanism waits for a response. */
  readonly expectsResponse: boolean;
  /** Starts `mechanism` (any value: an unknown one fails with invalid-mechanism) with the base64 initial response. */
  start(mechanism: unknown, initialResponse: string, settled: (outcome: SaslOutcome) => void): void;
  /** The base64 response to the last challenge (malformed-request when none is pending). */
  respond(response: string, settled: (outcome: SaslOutcome) => void): void;
  abort(settled: (outcome: SaslOutcome) => void): void;
}

/** Where an IQ request to the server goes: the sender's own account (`to` its bare JID or absent), or the domain. */
export type IqScope = "self" | "host";

/** What an IQ handler of the server knows about the request. */
export interface IqContext {
  /** The sender's full JID as the server stamped it. */
  readonly from: string;
  /** The sender's account (bare JID) when the sender is a local user. */
  readonly account: string | undefined;
}

/**
 * The events modules hook, named after Prosody's where one exists. A handler that returns a
 * value ends the event; `message/offline` returns true when the message was dealt with.
 */
export interface HookEvents {
  /**
   * Features for a stream (re)start, or after an XEP-0388 success; modules append theirs (after
   * SASL: `phase` authenticated; after a Bind2 bind: bound).
   */
  "stream-features": { session: ClientSession; features: Element; phase: "connected" | "authenticated" | "bound" };
  /** XEP-0388 (Prosody's mod_sasl2): elements a module offers inline in SASL2's `<inline/>` (`features`). */
  "advertise-sasl-features": { session: ClientSession; features: Element };
  /**
   * XEP-0388: an `<authenticate/>` was read, before its SASL step runs: modules note the inline
   * requests (children of `authenticate`) they will act on after success.
   */
  "sasl2/authenticate": { session: ClientSession; authenticate: Element };
  /**
   * XEP-0388: authentication succeeded; modules add their results (`<bound/>`, `<resumed/>`) to
   * `success` before it is sent (Prosody's `sasl2/c2s/success`). The session is authenticated.
   */
  "sasl2/c2s/success": { session: ClientSession; authenticate: Element; success: Element };
  /** XEP-0386 (Prosody's mod_sasl2_bind2): `<feature var/>` elements a module offers inline in Bind2's `<inline/>` (`features`). */
  "advertise-bind-features": { session: ClientSession; features: Element };
  /**
   * XEP-0386: the resource is bound; a module handles its inline request among `request`'s
   * children (e.g. XEP-0198's `<enable/>`) and appends its answer to `result` (`<bound/>`).
   */
  "enable-bind-features": { session: ClientSession; request: Element; result: Element };
  /** A resource was bound (a new session, not a resumption). */
  "resource-bind": { session: ClientSession };
  /** The connection of a bound session dropped; returning true keeps it bound, without a connection. */
  "pre-resource-unbind": { session: ClientSession };
  /** The session ended and left the session table. */
  "resource-unbind": { session: ClientSession };
  /** A message to an account none of whose sessions is available (RFC 6121 §8.5.2.2); true when handled. */
  "message/offline": { account: string; stanza: Element };
  /** The session sent initial presence: what waited offline may go out now. */
  "message/offline/broadcast": { session: ClientSession; account: string };
  /** A message to an account's bare JID, before the core delivers it (at priority -1). */
  "message/bare": { account: string; stanza: Element };
  /** A message to the server's own domain (Prosody's `message/host`), e.g. an error reply to a notification; true when handled. */
  "message/host": { stanza: Element };
  /** A groupchat message (a MUC's offline delivery) to an account with no available resource, before it bounces; true when handled. */
  "message/bare/groupchat": { account: string; stanza: Element };
  /** A presence to an account's bare JID, before the core delivers it to the available sessions; true when handled. */
  "presence/bare": { account: string; stanza: Element };
  /** RFC 6121 §3.1.3: a subscription request to an account with no available resource was stored; `pending` are waiting now. */
  "presence/subscribe/offline": { account: string; stanza: Element; pending: number };
  /**
   * XEP-0198: the session is about to hibernate. A module returning `"push-user"` keeps it
   * `pushResumeTimeout` instead of `resumeTimeout` (ejabberd's `mgmt_wait_for_resume`, royneary's mod_push).
   */
  "smacks-wait-for-resume": { session: ClientSession };
  /** A message to a bound session's full JID, before it is sent there. */
  "message/full": { account: string; stanza: Element };
  /** A presence with a `to` from a local client (directed, RFC 6121 §4.6), before it is routed; true swallows it. */
  "pre-presence/directed": { session: ClientSession; stanza: Element };
  /** The session sent unavailable presence with no `to` (RFC 6121 §4.5): it is no longer available. */
  "presence/unavailable": { session: ClientSession; stanza: Element };
  /** A message from a local client to a bare JID (or none), before it is routed; true swallows it. */
  "pre-message/bare": { session: ClientSession; stanza: Element };
  /** A message from a local client to a full JID, before it is routed; true swallows it. */
  "pre-message/full": { session: ClientSession; stanza: Element };
  /** XEP-0313: `stanza` was archived for `account` (Prosody's mod_mam event; mod_cloud_notify pushes on it). */
  "archive-message-added": { account: string; stanza: Element; id: string };
  /**
   * Push to all of the account's registrations, or those on `nodes` (Prosody's `cloud-notify-ping`);
   * returns how many. With `stanza`, the push is for that message, once per registration
   * (Tigase's triggers: away, jingle, groupchat).
   */
  "cloud-notify-ping": { account: string; nodes: readonly string[] | undefined; stanza?: Element };
  /**
   * Prosody's `cloud_notify/registration`: an `<enable/>` is about to be stored as `registration`.
   * Modules read their own children of `enable`; throwing a PushError refuses the enable with it.
   */
  "cloud-notify/registration": { account: string; session: ClientSession | undefined; enable: Element; registration: PushRegistrationInfo };
  /** The roster module answers with the item's subscription (`none`, `to`, `from`, `both`), or nothing when `contact` is not in `account`'s roster. */
  "roster-item": { account: string; contact: string };
  /**
   * Prosody's `cloud_notify/push`: a publish is about to go to `registration`'s push service for
   * `stanza` (none for a `cloud-notify-ping`). Handlers may change `notification` (the
   * `<notification/>` inside `publish`) in place, or push work the publish must wait for onto
   * `pending` (Web Crypto is asynchronous); returning true blocks this push.
   */
  "cloud-notify/push": {
    account: string;
    registration: PushRegistrationInfo;
    publish: Element;
    notification: Element;
    stanza: Element | undefined;
    summary: Summary;
    important: boolean;
    pending: Promise<unknown>[];
  };
  /** XEP-0198: the connection dropped and the session hibernates with `queue` unacknowledged. */
  "smacks-hibernation-start": { session: ClientSession; queue: readonly Element[] };
  /** XEP-0198: a stanza was queued for a hibernated session. */
  "smacks-hibernation-stanza-queued": { session: ClientSession; stanza: Element };
  /** XEP-0198: the hibernation ended, resumed or timed out. */
  "smacks-hibernation-end": { session: ClientSession; resumed: boolean };
  /** XEP-0198: `stanzas` stayed unacknowledged on a live connection longer than the ack delay. */
  "smacks-ack-delayed": { session: ClientSession; stanzas: readonly Element[] };
  /**
   * A top-level element that is not a stanza (a nonza such as XEP-0198's `<enable/>`), named
   * `stanza/<namespace>:<name>` as in Prosody. Unhandled, it ends the stream.
   */
  [nonza: `stanza/${string}`]: { session: ClientSession; element: Element };
}

export type HookName = keyof HookEvents;

/** A push registration as hooks see it (Prosody's `push_info`); the push module's own record. */
export interface PushRegistrationInfo {
  readonly account: string;
  readonly jid: string;
  readonly node: string;
  readonly enabledAt: number;
}

/** What a module may do with the server it is loaded into. */
export interface ModuleHost {
  readonly domain: string;
  hook<Name extends HookName>(name: Name, handler: HookHandler<HookEvents[Name]>, priority?: number): void;
  fire<Name extends HookName>(name: Name, event: HookEvents[Name]): unknown;
  /** Answers IQ requests of `type` whose payload is `<name xmlns='xmlns'/>`. */
  handleIq(scope: IqScope, type: "get" | "set", xmlns: string, name: string, handler: IqHandler<IqContext>): void;
  /** Advertises a disco#info feature of the accounts (`account`) or of the server (`host`). */
  addFeature(scope: "account" | "host", feature: string): void;
  features(scope: "account" | "host"): readonly string[];
  /** Adds an XEP-0128 form to the accounts' disco#info, made for the account asking about itself. */
  addDiscoForm(scope: "account", form: (account: string) => DataForm | undefined): void;
  discoForms(scope: "account", account: string): DataForm[];
  /** Domains of the attached components. */
  components(): readonly string[];
  /** Routes a stanza the server itself sends. */
  route(stanza: Element): void;
  /**
   * Sends an IQ request from the server (its `from` the domain or a local account); `answered`
   * gets the reply — a result or an error IQ — as it is routed, or undefined after `timeout` ms
   * or at close. Only a reply from the request's `to` addressed to its `from` counts.
   */
  request(iq: Element, timeout: number, answered: (reply: Element | undefined) => void): void;
  /** Raises one of the server's public events. */
  emit<Name extends keyof XmppServerEvents>(name: Name, ...args: XmppServerEvents[Name]): void;
  /** Bound sessions of an account (live or hibernated). */
  sessionsOf(account: string): readonly ClientSession[];
  /** Available sessions of an account (initial presence sent). */
  availableSessionsOf(account: string): readonly ClientSession[];
  accountExists(username: string): boolean;
  /** The bare JID of a local username. */
  accountOf(username: string): string;
}

/**
 * A feature of the server, loaded once per server: it registers IQ handlers, disco features and
 * hooks, and may return what to do when the server closes.
 */
export interface ServerModule {
  readonly name: string;
  load(host: ModuleHost): void | (() => void);
}
