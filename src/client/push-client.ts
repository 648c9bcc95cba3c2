import {
  buildDisable,
  buildDiscoInfoQuery,
  buildDiscoItemsQuery,
  buildEnable,
  buildIq,
  type DataForm,
  Emitter,
  getValue,
  NS_COMMANDS,
  NS_DISCO_INFO,
  NS_DISCO_ITEMS,
  NS_PUSH,
  parsePushOptionsForm,
  PUSH2_NS,
  PUSH_OPTIONS_FORM_TYPE,
  PushError,
  randomHex,
  VAPID_PUBLIC_KEY_FIELD,
  WEBPUSH_FORM_TYPE,
} from "../protocol/index.js";
import { bareAddress } from "./bare-address.js";
import { dialectOf, listWith, providersOf, readAnswer, registerWith, unregisterWith } from "./dialect-calls.js";
import { modPush } from "./dialects/mod-push.js";
import { builtInDialectOf } from "./dialects/signatures.js";
import type { CommandDialect, Dialect, DialectChannel } from "./dialects/types.js";
import { readDiscoInfo, readDiscoItems } from "./read-disco.js";
import { sendRequest } from "./request.js";
import type { RoomsExtension } from "./rooms.js";
import { createSerialQueue } from "./serial.js";
import { SessionEnables } from "./session-enables.js";
import { meansUnsupported, storedFeatures, withoutFeatures } from "./support-cache.js";
import { correctStreamManagementCount } from "./stream-management-count.js";
import { MemoryStore } from "./store/memory.js";
import type { Push2Extension } from "./push2/extension.js";
import type { SubscribePush2Options } from "./push2/types.js";
import type { RegistrationStore } from "./store/types.js";
import type {
  AppServerInfo,
  DisableTarget,
  EnableTarget,
  ListedRegistration,
  RegisterOptions,
  Registration,
  RemovalStep,
  ServerPushFeatures,
  UnregisterOptions,
  UnsubscribeOptions,
  UnsubscribeReport,
  XmppConnection,
} from "./types.js";

export interface PushClientOptions {
  /** Where registrations are kept (default: a `MemoryStore`). */
  store?: RegistrationStore;
  /** Milliseconds every request waits for its answer (default 10 000). */
  timeout?: number;
  /** Re-enable stored registrations after every fresh session (default true). */
  reenable?: boolean;
  /**
   * Registration dialects to recognise, in order (default `[modPush]`; `dialects` lists all built
   * in). An app bundles only the dialects it passes.
   */
  dialects?: readonly Dialect[];
  /**
   * What PushClient does only when passed: `push2` for Push 2.0 (`subscribePush2`,
   * `enablePush2Inline`), `rooms` for group chats' channels (`muc`).
   */
  extensions?: readonly PushExtension[];
  /**
   * `"auto"` (default): when the XEP-0198 `h` the connection acknowledges differs from the
   * number of stanzas it has received since the server started counting, set it to that number,
   * so that the server neither pushes for nor stores offline again what the app already has, nor
   * closes the stream for an `h` above what it sent. @xmpp/client 0.14 falls below after IQs (it
   * leaves out the replies to its own requests, and drops what it reads together with
   * `<enabled/>`), and rises above when a stanza read just before `<enabled/>` is counted (the
   * echo of a presence sent right after `start()`; Prosody then closes the stream). Checked
   * before every element and after every stanza: a connection that counts right is never
   * touched. `false`: never touch the count.
   */
  streamManagementFix?: "auto" | false;
}

/** An optional part of PushClient, bundled only when passed in `extensions`. */
export type PushExtension = Push2Extension | RoomsExtension;

export type PushClientEvents = {
  registered: [registration: Registration];
  enabled: [target: EnableTarget | Registration];
  disabled: [target: DisableTarget];
  unregistered: [appServer: string, nodes: string[]];
  error: [error: PushError];
};

/**
 * XEP-0357 push for one XMPP connection: register at an app server, enable, disable, keep it so.
 *
 * @example
 * ```ts
 * import { client } from "@xmpp/client";
 * import { PushClient } from "xmpp-push";
 * import { IdbStore } from "xmpp-push/idb";
 *
 * const xmpp = client({ service: "wss://chat.example.org/xmpp-websocket", username: "bob", password: "…" });
 * // Registrations survive reloads in IndexedDB; after every reconnect they are enabled again.
 * const push = new PushClient(xmpp, { store: new IdbStore() });
 * push.on("error", (error) => console.warn("push:", error.condition, error.message));
 * await xmpp.start();
 *
 * if (await push.isSupported({ appServer: "push.example.org" })) {
 *   // deviceToken: the FCM or APNs token the platform gave the app (or a Web Push subscription's toJSON()).
 *   // Idempotent: the same app server, provider and device reuse one registration.
 *   const registration = await push.subscribe({ appServer: "push.example.org", provider: "fcm", token: deviceToken });
 *   console.log("push enabled on node", registration.node);
 * }
 *
 * // At logout: disable at the XMPP server, unregister at the app server, forget the registration.
 * const { errors } = await push.unsubscribe();
 * if (errors.length > 0) console.warn("left behind:", errors);
 * await xmpp.stop();
 * ```
 */
export class PushClient extends Emitter<PushClientEvents> {
  readonly store: RegistrationStore;
  readonly timeout: number;
  readonly #xmpp: XmppConnection;
  readonly #dialects: readonly Dialect[];
  readonly #push2: Push2Extension | undefined;
  readonly #rooms: RoomsExtension | undefined;
  readonly #discovered = new Map<string, AppServerInfo>();
  /** App server discoveries `isSupported({ appServer })` started, until they settle. */
  readonly #discovering = new Map<string, Promise<AppServerInfo>>();
  /** The account's server features this client last read, for `isSupported()` and what it stores with registrations. */
  #features: { account: string; features: string[] } | undefined;
  readonly #sessionEnables = new SessionEnables();
  /**
   * The device id each account, app server and provider got here, also before anything is
   * stored: a subscribe cut off after the app server registered retries as the same device,
   * which the app server replaces, rather than as one more it keeps.
   */
  readonly #deviceIds = new Map<string, string>();
  readonly #reenable: boolean;
  readonly #serial = createSerialQueue();
  readonly #removeCountFix: () => void;
  /** The registration whose Push 2.0 enable went inline in this login's Bind2 request: `online` need not send it again (C27). */
  #inlineEnabled: string | undefined;
  readonly #onOnline = (): void => {
    this.#sessionEnables.reset();
    this.#afterReconnect(this.#reenable);
  };
  /** A resumed stream is the same session: nothing to enable again, but removals left pending can be finished now. */
  readonly #onResumed = (): void => this.#afterReconnect(false);

  constructor(xmpp: XmppConnection, options: PushClientOptions = {}) {
    super();
    this.#xmpp = xmpp;
    this.store = options.store ?? new MemoryStore();
    this.timeout = options.timeout ?? 10_000;
    this.#dialects = options.dialects ?? [modPush];
    this.#push2 = options.extensions?.find((extension) => extension.name === "push2");
    this.#rooms = options.extensions?.find((extension) => extension.name === "rooms");
    this.#reenable = options.reenable ?? true;
    xmpp.on("online", this.#onOnline);
    xmpp.streamManagement?.on?.("resumed", this.#onResumed);
    this.#removeCountFix = options.streamManagementFix === false ? () => undefined : correctStreamManagementCount(xmpp);
  }

  #afterReconnect(reenable: boolean): void {
    void this.#exclusive(() => this.#restore(reenable)).catch((error: unknown) => this.emit("error", asPushError(error)));
  }

  /** Stops listening to the connection (and correcting its XEP-0198 count). */
  dispose(): void {
    this.#xmpp.removeListener?.("online", this.#onOnline);
    this.#xmpp.streamManagement?.removeListener?.("resumed", this.#onResumed);
    this.#removeCountFix();
  }

  /**
   * Whether the account's server advertises `urn:xmpp:push:0` on the bare JID (C1). A "yes" is
   * remembered with the account's stored registrations, so later launches answer without asking;
   * an enable the server then refuses as unsupported drops it. With `appServer`, the app
   * server's discovery goes out together with the account's, for the `subscribe()` that follows
   * (only when no registration there is stored yet).
   */
  async isSupported(options: { appServer?: string } = {}): Promise<boolean> {
    const account = this.#account();
    // A store that fails here only costs the cache: subscribe() reports it.
    const stored = await this.registrations().catch(() => []);
    if (options.appServer !== undefined && !stored.some((registration) => registration.appServer === options.appServer)) this.#discoverAhead(options.appServer);
    const known = this.#features?.account === account ? this.#features.features : storedFeatures(stored, account);
    if (known?.includes(NS_PUSH)) return true;
    return (await this.pushFeatures()).push;
  }

  /** What the account's server offers: push, its features, and the per-user push options it takes (R1). */
  async pushFeatures(): Promise<ServerPushFeatures> {
    const reply = await this.#request(buildIq({ type: "get", to: this.#account() }, buildDiscoInfoQuery()));
    const query = reply.getChild("query", NS_DISCO_INFO);
    if (!query) return { push: false, push2: false, features: [] };
    const info = readDiscoInfo(query);
    this.#features = { account: this.#account(), features: info.features };
    const result: ServerPushFeatures = { push: info.features.includes(NS_PUSH), push2: info.features.includes(PUSH2_NS), features: info.features };
    const form = info.forms.find((candidate) => candidate.formType === PUSH_OPTIONS_FORM_TYPE);
    if (form) result.pushOptions = readAnswer(() => parsePushOptionsForm(form));
    return result;
  }

  /** Whether the account's server advertises Push 2.0, `urn:xmpp:push2:0`, on the bare JID (C26). */
  async isPush2Supported(): Promise<boolean> {
    return (await this.pushFeatures()).push2;
  }

  /**
   * Push 2.0: the XMPP server pushes to the browser itself, end-to-end encrypted, no app server.
   * Makes (or reuses the stored) per-device ES256 key pair, has `subscription` subscribe the
   * browser with its public key, sends `<enable xmlns='urn:xmpp:push2:0'>` and stores the
   * registration (dialect `push2`), which is enabled again after every fresh session and removed
   * by `unsubscribe()` (C24, C25). Subscribing again replaces it.
   */
  subscribePush2(options: SubscribePush2Options): Promise<Registration> {
    return this.#exclusive(async () => {
      const push2 = this.#push2Extension();
      const account = this.#account();
      const stored = await this.#load(() => this.store.get(push2.registrationId(account)));
      return this.#enableAndSave(await push2.registration(account, options, stored));
    });
  }

  /**
   * Puts the stored Push 2.0 enable inline into the XEP-0386 Bind2 request of every login, when
   * the server offers it there: no round trip of its own, and `online` does not send it again
   * (C27). Call before `xmpp.start()`; `account` names the registration when the connection has
   * no JID yet and the store holds Push 2.0 registrations of several accounts. False when the
   * connection has no Bind2 (`@xmpp/client` < 0.14 or another library).
   */
  enablePush2Inline(options: { account?: string } = {}): boolean {
    const push2 = this.#push2Extension();
    const bind2 = this.#xmpp.bind2;
    if (!bind2) return false;
    const request = push2.inlineRequest(this.store, () => options.account ?? this.#knownAccount(), (id) => {
      this.#inlineEnabled = id;
    });
    bind2.use(PUSH2_NS, request as unknown as Parameters<typeof bind2.use>[1], async () => undefined);
    return true;
  }

  /** The app server's identities, features, commands and the dialect they speak (C7). */
  async discover(appServer: string): Promise<AppServerInfo> {
    const [infoReply, itemsReply] = await Promise.all([
      this.#request(buildIq({ type: "get", to: appServer }, buildDiscoInfoQuery())),
      // A pubsub service (MongooseIM PubSub-full) may have no command node at all.
      this.#request(buildIq({ type: "get", to: appServer }, buildDiscoItemsQuery(NS_COMMANDS))).catch(noCommandNode),
    ]);
    const infoQuery = infoReply.getChild("query", NS_DISCO_INFO);
    const itemsQuery = itemsReply?.getChild("query", NS_DISCO_ITEMS);
    if (!infoQuery || (itemsReply && !itemsQuery)) throw new PushError("bad-response", "disco reply without <query/>");
    const info = readDiscoInfo(infoQuery);
    const commands = itemsQuery ? readDiscoItems(itemsQuery) : [];
    const nodes = commands.flatMap((item) => (item.node ? [item.node] : []));
    const dialect = dialectOf(this.#dialects, nodes, info);
    const builtIn = dialect ? undefined : builtInDialectOf(nodes, info);
    if (builtIn) throw notPassed(`${appServer} speaks the ${builtIn} dialect`, `dialects: [..., ${builtIn}]`);
    const result: AppServerInfo = {
      jid: appServer,
      identities: info.identities,
      features: info.features,
      commands,
      providers: providersOf(dialect, nodes),
      forms: info.forms,
    };
    if (dialect) result.dialect = dialect.name;
    const vapidPublicKey = vapidKeyOf(info.forms);
    if (vapidPublicKey) result.vapidPublicKey = vapidPublicKey;
    this.#discovered.set(appServer, result);
    return result;
  }

  /**
   * The push component among the account's server's disco#items: the first with identity
   * `pubsub/push` and all `requiredFeatures` (how Tigase clients find their app server, T1).
   */
  async findPushComponent(requiredFeatures: readonly string[] = []): Promise<string | undefined> {
    return this.#tigase("findPushComponent", "findPushComponent").findPushComponent(this.#channel(), requiredFeatures);
  }

  /**
   * Registers this device at the app server (XEP-0050) and returns where to enable (C8); with
   * `muc`, a channel of the room's own (C18). Nothing is stored.
   */
  async register(options: RegisterOptions): Promise<Registration> {
    const muc = this.#roomJid(options.muc);
    const tigase = options.tigase && this.#tigase("enableExtensions", "tigase settings").enableExtensions;
    const dialect = await this.#dialectFor(options.appServer, options.dialect);
    const deviceId = options.deviceId ?? randomHex(16);
    const channel = muc === undefined ? { deviceId } : this.#rooms!.channel(dialect, deviceId, muc);
    const virtualPubsubHost = options.virtualPubsubHost === true;
    const registered = await registerWith(dialect, this.#channel(), options.appServer, {
      provider: options.provider,
      token: options.token,
      ...channel,
      virtualPubsubHost,
      ...(options.deviceName === undefined ? {} : { deviceName: options.deviceName }),
      ...(options.fields === undefined ? {} : { fields: options.fields }),
      ...(options.tigase?.voipToken === undefined ? {} : { voipToken: options.tigase.voipToken }),
    });
    const account = this.#account();
    const registration: Registration = {
      id: registrationId(account, options.appServer, options.provider, deviceId, muc),
      account,
      appServer: options.appServer,
      provider: options.provider,
      deviceId,
      dialect: dialect.name,
      token: tokenText(options.token),
      jid: registered.jid,
      node: registered.node,
      publishOptions: registered.publishOptions,
      registeredAt: Date.now(),
    };
    if (virtualPubsubHost) registration.virtualPubsubHost = true;
    if (options.deviceName !== undefined) registration.deviceName = options.deviceName;
    if (registered.secret !== undefined) registration.secret = registered.secret;
    if (tigase && options.tigase) registration.tigase = tigase.keep(options.tigase, registered);
    if (muc !== undefined) registration.muc = muc;
    this.emit("registered", registration);
    return registration;
  }

  /** Sends `<enable/>` to the user's server (C2, C3), or to the room when the target names one (C18). */
  async enable(target: Registration | EnableTarget): Promise<void> {
    if ("push2" in target && target.push2) {
      await this.#request(buildIq({ type: "set" }, this.#push2Extension().enable(target.push2)));
      this.emit("enabled", target);
      return;
    }
    const { publishOptions, pushOptions } = target;
    const enable = buildEnable({ jid: target.jid, node: target.node, ...(publishOptions ? { publishOptions } : {}), ...(pushOptions ? { pushOptions } : {}) });
    if (target.tigase) {
      // Each Tigase extension only when the account advertises it (T4).
      const features = ("accountFeatures" in target ? target.accountFeatures : undefined) ?? (await this.pushFeatures()).features;
      this.#tigase("enableExtensions", "tigase settings").enableExtensions.apply(enable, target.tigase, features);
    }
    const registration = "id" in target ? target : undefined;
    try {
      await this.#request(buildIq({ type: "set", ...toRoom(target.muc) }, enable));
    } catch (error) {
      if (registration) this.#sessionEnables.forget(registration.id);
      if (target.muc === undefined && meansUnsupported(error)) await this.#dropSupport();
      throw error;
    }
    if (registration) this.#sessionEnables.sent(registration);
    this.emit("enabled", target);
  }

  /** The server refused an enable as unsupported: whatever this client or the store remembered of its support is wrong. */
  async #dropSupport(): Promise<void> {
    const account = this.#account();
    this.#features = undefined;
    await this.#attempt(async () => {
      for (const registration of withoutFeatures(await this.registrations(), account)) await this.#save(registration);
    });
  }

  /** Sends `<disable/>` (to the room when the target names one): one node, or every node of the push service when `node` is absent (C4). */
  async disable(target: DisableTarget): Promise<void> {
    try {
      await this.#request(buildIq({ type: "set", ...toRoom(target.muc) }, buildDisable({ jid: target.jid, ...(target.node === undefined ? {} : { node: target.node }) })));
    } catch (error) {
      // ejabberd answers item-not-found when nothing matched: the registration is gone either way.
      unlessItemNotFound(error);
    }
    this.#sessionEnables.reset();
    this.emit("disabled", target);
  }

  /** The caller's registrations as the app server lists them. */
  async listRegistrations(appServer: string): Promise<ListedRegistration[]> {
    return listWith(await this.#dialectFor(appServer), this.#channel(), appServer);
  }

  /** Removes registrations at the app server by device or nodes; returns the removed nodes. */
  unregister(appServer: string, options: UnregisterOptions = {}): Promise<string[]> {
    return this.#unregister(appServer, options, options.dialect);
  }

  async #unregister(appServer: string, options: UnregisterOptions, dialectName?: string): Promise<string[]> {
    const nodes = await unregisterWith(await this.#dialectFor(appServer, dialectName), this.#channel(), appServer, options);
    this.emit("unregistered", appServer, nodes);
    return nodes;
  }

  /** Removes one registration's node at its app server; a virtual pubsub host has nothing to remove. */
  async #forget(registration: Registration): Promise<void> {
    // Push 2.0 has no app server: nothing to unregister.
    if (registration.virtualPubsubHost || registration.push2) return;
    const options: UnregisterOptions = { nodes: [registration.node], deviceId: registration.deviceId, provider: registration.provider, token: registration.token };
    if (registration.muc !== undefined) options.muc = registration.muc;
    await this.#unregister(registration.appServer, options, registration.dialect);
  }

  /**
   * Registers (or reuses the stored registration) and enables, then stores it. Idempotent: the
   * same app server, provider and device give one registration (C12); a new token replaces the
   * old registration without leaving it behind (C13). With `muc`, the room's channel is its own
   * registration, enabled at the room (C18, C20).
   */
  subscribe(options: RegisterOptions): Promise<Registration> {
    return this.#exclusive(() => this.#subscribe(options));
  }

  /**
   * Disables, unregisters and forgets every stored registration of this account (C16), room
   * channels included unless `muc` picks one room (C21).
   */
  unsubscribe(options: UnsubscribeOptions = {}): Promise<UnsubscribeReport> {
    return this.#exclusive(() => this.#unsubscribe(options));
  }

  /** This account's stored registrations. */
  async registrations(): Promise<Registration[]> {
    const account = this.#account();
    return (await this.#load(() => this.store.list())).filter((registration) => registration.account === account);
  }

  /** One registration change at a time: in this client, and across tabs when the store can lock. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#serial<T>(async () => {
      const store = this.store;
      if (!store.lock) return task();
      const name = `xmpp-push:${this.#account()}`;
      let failure: { error: unknown } | undefined;
      const result = await this.#load<T>(() =>
        store.lock!<T>(name, async () => {
          try {
            return await task();
          } catch (error) {
            failure = { error };
            return undefined as T;
          }
        }),
      );
      if (failure) throw failure.error;
      return result;
    });
  }

  async #subscribe(options: RegisterOptions): Promise<Registration> {
    const muc = this.#roomJid(options.muc);
    const account = this.#account();
    const stored = await this.registrations();
    const device = [account, options.appServer, options.provider].join(" ");
    const deviceId =
      options.deviceId ??
      stored.find((registration) => !registration.push2 && registration.appServer === options.appServer && registration.provider === options.provider)?.deviceId ??
      this.#deviceIds.get(device) ??
      randomHex(16);
    this.#deviceIds.set(device, deviceId);
    const existing = stored.find((registration) => registration.id === registrationId(account, options.appServer, options.provider, deviceId, muc));

    // One whose removal is pending may be gone at either server: registered anew, it replaces itself.
    if (existing && !existing.pendingRemoval && existing.token === tokenText(options.token) && existing.deviceName === options.deviceName) {
      if (options.pushOptions) existing.pushOptions = options.pushOptions;
      if (options.tigase) existing.tigase = this.#tigase("enableExtensions", "tigase settings").enableExtensions.keep(options.tigase, existing.tigase ?? {}, existing.tigase);
      // The same enable already went out on this session (the re-enable after `online`): the server has it.
      if (this.#sessionEnables.has(existing)) {
        if (existing.accountFeatures === undefined && this.#features?.account === account) await this.#save(existing);
        return existing;
      }
      return this.#enableAndSave(existing);
    }

    const registration = await this.register({ ...options, deviceId });
    if (options.pushOptions) registration.pushOptions = options.pushOptions;
    try {
      await this.enable(registration);
    } catch (error) {
      if (!existing || existing.node !== registration.node) await this.#attempt(() => this.#forget(registration));
      throw error;
    }
    registration.enabledAt = Date.now();
    await this.#save(registration);
    if (existing && (existing.node !== registration.node || existing.jid !== registration.jid)) {
      await this.#attempt(() => this.disable(disableTargetOf(existing)));
      await this.#attempt(() => this.#forget(existing));
    } else if (existing && existing.token !== registration.token && this.#sharesNode(existing)) {
      // The account's node stays, enabled with the new registration: only the old token goes (T16).
      await this.#attempt(() => this.#forget(existing));
    }
    // The device's token changed: its room channels take the new token too (C20); a room that fails is reported as an `error` event.
    if (muc === undefined) for (const renewed of this.#rooms?.renewals(stored.filter((room) => !room.pendingRemoval), registration, options) ?? []) await this.#attempt(() => this.#subscribe(renewed));
    return registration;
  }

  async #unsubscribe(options: UnsubscribeOptions): Promise<UnsubscribeReport> {
    const report: UnsubscribeReport = { removed: [], pending: [], errors: [] };
    const muc = this.#roomJid(options.muc);
    const registrations = (await this.registrations()).filter(
      (registration) =>
        (options.appServer === undefined || registration.appServer === options.appServer) && (muc === undefined || registration.muc === muc),
    );
    for (const registration of roomsFirst(registrations)) {
      const errors = await this.#remove(registration);
      report.errors.push(...errors);
      (registration.pendingRemoval ? report.pending : report.removed).push(registration);
    }
    return report;
  }

  /**
   * Disables, unregisters and forgets one registration, each step tried even when an earlier one
   * fails (C16). A step cut off by a drop, a timeout or a `wait` error may not have happened: the
   * registration stays stored with the steps left in `pendingRemoval`, and the next session
   * finishes them (C30), so that a logout on a bad network leaves nothing pushing to the device.
   */
  async #remove(registration: Registration): Promise<PushError[]> {
    const errors: PushError[] = [];
    const left: RemovalStep[] = [];
    const retry = registration.pendingRemoval !== undefined;
    // No <disable/> of a node the account's other devices share (T17): the server drops it once the app server refuses a publish to it.
    for (const step of registration.pendingRemoval ?? (this.#sharesNode(registration) ? ["unregister" as const] : removalSteps)) {
      const error = await this.#attempt(() => this.#removalStep(registration, step, retry));
      if (!error) continue;
      errors.push(error);
      if (mayNotHaveHappened(error)) left.push(step);
    }
    if (left.length > 0) registration.pendingRemoval = left;
    else delete registration.pendingRemoval;
    const stored = await this.#attempt(() => this.#load(() => (left.length > 0 ? this.store.put(registration) : this.store.delete(registration.id))));
    if (stored) errors.push(stored);
    return errors;
  }

  #removalStep(registration: Registration, step: RemovalStep, retry: boolean): Promise<void> {
    if (step === "disable") return registration.push2 ? this.#disablePush2(registration.jid) : this.disable(disableTargetOf(registration));
    const unregistered = this.#forget(registration);
    // The unregister cut off may have gone through: the app server then has nothing left (p2 and tigase say item-not-found).
    return retry ? unregistered.catch(unlessItemNotFound) : unregistered;
  }

  /**
   * After a fresh session, finishes the removals an `unsubscribe()` left pending (C30) and enables
   * every other stored registration again (C15): servers may have dropped them.
   */
  async #restore(reenable: boolean): Promise<void> {
    let registrations: Registration[];
    try {
      registrations = await this.registrations();
    } catch (error) {
      this.emit("error", asPushError(error));
      return;
    }
    const inline = this.#inlineEnabled;
    this.#inlineEnabled = undefined;
    const live = registrations.filter((registration) => !registration.pendingRemoval);
    for (const registration of roomsFirst(registrations.filter((registration) => registration.pendingRemoval))) await this.#remove(registration);
    if (!reenable) return;
    // All at once: a device with room channels costs one round trip, not one per channel.
    await Promise.all(live.filter((registration) => registration.id !== inline).map((registration) => this.#attempt(() => this.enable(registration))));
  }

  /** `<disable xmlns='urn:xmpp:push2:0'/>`: the server drops this session's Push 2.0 registration (C25). */
  async #disablePush2(service: string): Promise<void> {
    await this.#request(buildIq({ type: "set" }, this.#push2Extension().disable()));
    this.emit("disabled", { jid: service });
  }

  /** The bound account, if the connection has one (it keeps its last JID after a disconnect). */
  #knownAccount(): string | undefined {
    const jid = this.#xmpp.jid?.toString();
    return jid ? bareAddress(jid) : undefined;
  }

  /** Runs a step whose failure must not stop the next one; reports it as an `error` event. */
  async #attempt(step: () => Promise<unknown>): Promise<PushError | undefined> {
    try {
      await step();
      return undefined;
    } catch (error) {
      const pushError = asPushError(error);
      this.emit("error", pushError);
      return pushError;
    }
  }

  async #dialectFor(appServer: string, name?: string): Promise<Dialect> {
    if (name !== undefined) {
      const dialect = this.#findDialect(name);
      if (!dialect) throw notPassed(`unknown registration dialect '${name}'`, "its dialect in dialects");
      return dialect;
    }
    const info = this.#discovered.get(appServer) ?? (await (this.#discovering.get(appServer) ?? this.discover(appServer)));
    const dialect = info.dialect === undefined ? undefined : this.#findDialect(info.dialect);
    if (!dialect) throw new PushError("not-supported", `${appServer} offers no registration commands this SDK knows`);
    return dialect;
  }

  /** Starts the app server's discovery now; `#dialectFor` takes it up (and its failure) when it is needed. */
  #discoverAhead(appServer: string): void {
    if (this.#discovered.has(appServer) || this.#discovering.has(appServer)) return;
    const pending = this.discover(appServer).finally(() => this.#discovering.delete(appServer));
    pending.catch(() => undefined);
    this.#discovering.set(appServer, pending);
  }

  #findDialect(name: string): Dialect | undefined {
    return this.#dialects.find((dialect) => dialect.name === name);
  }

  /** Whether the registration's node is its account's, shared by all its devices (T16). */
  #sharesNode(registration: Registration): boolean {
    const dialect = this.#findDialect(registration.dialect);
    return dialect !== undefined && "accountNode" in dialect && dialect.accountNode === true;
  }

  /** `muc` as a room's bare JID, through the `rooms` extension. */
  #roomJid(muc: string | undefined): string | undefined {
    if (muc === undefined) return undefined;
    if (!this.#rooms) throw notPassed("muc (group chats)", "extensions: [rooms]");
    return this.#rooms.roomJid(muc);
  }

  #push2Extension(): Push2Extension {
    if (!this.#push2) throw notPassed("Push 2.0", "extensions: [push2]");
    return this.#push2;
  }

  /** The first passed dialect with Tigase's `member` (the `tigase` dialect's `<enable>` extensions, or its component search). */
  #tigase<Member extends "enableExtensions" | "findPushComponent">(member: Member, what: string): CommandDialect & Required<Pick<CommandDialect, Member>> {
    const dialect = this.#dialects.find((candidate): candidate is CommandDialect & Required<Pick<CommandDialect, Member>> => member in candidate && (candidate as CommandDialect)[member] !== undefined);
    if (!dialect) throw notPassed(what, "dialects: [..., tigase]");
    return dialect;
  }

  #channel(): DialectChannel {
    return { account: this.#account(), request: (iq) => this.#request(iq) };
  }

  #request(iq: Parameters<typeof sendRequest>[1]): ReturnType<typeof sendRequest> {
    return sendRequest(this.#xmpp, iq, this.timeout);
  }

  #account(): string {
    const jid = this.#xmpp.jid?.toString();
    if (!jid) throw new PushError("disconnected", "the XMPP connection is not online yet");
    return bareAddress(jid);
  }

  /** Enables a registration and stores it, with the time of that enable. */
  async #enableAndSave(registration: Registration): Promise<Registration> {
    await this.enable(registration);
    registration.enabledAt = Date.now();
    await this.#save(registration);
    return registration;
  }

  async #save(registration: Registration): Promise<void> {
    const known = this.#features;
    if (known?.account === registration.account) registration.accountFeatures = known.features;
    await this.#load(() => this.store.put(registration));
  }

  /** Store failures become `PushError('storage')`. */
  async #load<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw error instanceof PushError ? error : new PushError("storage", `registration store failed: ${describe(error)}`, { cause: error });
    }
  }

}

const removalSteps: readonly RemovalStep[] = ["disable", "unregister"];

/** A drop, a timeout or a `wait` error: the request may never have arrived, or may yet succeed. */
function mayNotHaveHappened(error: PushError): boolean {
  return error.condition === "disconnected" || error.condition === "timeout" || error.type === "wait";
}

/** Room channels first: p2 unregisters a device without `muc` with all its rooms, and then answers item-not-found (P2-5). */
function roomsFirst(registrations: Registration[]): Registration[] {
  return registrations.sort((one, other) => Number(other.muc !== undefined) - Number(one.muc !== undefined));
}

/** `not-supported` for what needs a dialect or extension the app did not pass to `new PushClient()`. */
function notPassed(what: string, option: string): PushError {
  return new PushError("not-supported", `${what}: pass ${option} to new PushClient() (exported by xmpp-push)`);
}

function unlessItemNotFound(error: unknown): void {
  if (!(error instanceof PushError && error.condition === "item-not-found")) throw error;
}

/** disco#items of the commands node answered with an error: the service has no commands. */
function noCommandNode(error: unknown): undefined {
  if (error instanceof PushError && ["item-not-found", "feature-not-implemented", "service-unavailable"].includes(error.condition)) return undefined;
  throw error;
}

function vapidKeyOf(forms: readonly DataForm[]): string | undefined {
  const form = forms.find((candidate) => candidate.formType === WEBPUSH_FORM_TYPE);
  return form ? getValue(form, VAPID_PUBLIC_KEY_FIELD) : undefined;
}

/** The store key; a room's channel adds the room (C20). */
export function registrationId(account: string, appServer: string, provider: string, deviceId: string, muc?: string): string {
  return [account, appServer, provider, deviceId, ...(muc === undefined ? [] : [muc])].join(" ");
}

function disableTargetOf(registration: Registration): DisableTarget {
  return { jid: registration.jid, node: registration.node, ...(registration.muc === undefined ? {} : { muc: registration.muc }) };
}

/** A room's `<enable/>` and `<disable/>` go to the room, which acts as the user's server for its pushes (XEP-0357 on MUC, M5). */
function toRoom(muc: string | undefined): { to: string } | Record<string, never> {
  return muc === undefined ? {} : { to: muc };
}

function tokenText(token: RegisterOptions["token"]): string {
  return typeof token === "string" ? token : JSON.stringify({ endpoint: token.endpoint, keys: token.keys });
}

function asPushError(error: unknown): PushError {
  return error instanceof PushError ? error : new PushError("internal-server-error", describe(error), { cause: error });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
