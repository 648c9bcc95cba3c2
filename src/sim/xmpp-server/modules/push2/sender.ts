import { buildPush2Notification, bytesToBase64, type Element, parseStanzaError, PUSH2_SEND_SCE, type Push2Jwt, type Push2Match, type Push2Priority, PushError, randomHex, xml } from "../../../../protocol/index.js";
import type { ModuleHost } from "../../module.js";
import { envelopeBytes } from "./envelope.js";
import type { ResolvedPush2Options } from "./options.js";
import type { Push2Registration, Push2Registry } from "./registry.js";
import { encryptAes128gcm } from "./rfc8291.js";
import { importSigner, type Push2Signer, signJwt } from "./vapid.js";

/** Notifications sent and not answered, remembered for an error reply; past this many the oldest are forgotten. */
const MAX_PENDING = 10_000;

interface Pending {
  readonly registration: Push2Registration;
  readonly message: Element;
  readonly attempt: number;
}

/**
 * Builds and sends the notification messages (P2S9–P2S11) and acts on their error replies
 * (P2S12): one of type `wait` is sent again after a doubling delay, `maxRetries` times at most;
 * any other error disables the registration, and that notification is never sent again.
 */
export class Push2Sender {
  readonly #pending = new Map<string, Pending>();
  readonly #signers = new WeakMap<Push2Jwt, Promise<Push2Signer>>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Each registration's notifications go out one after another, in the order of their stanzas. */
  readonly #queues = new WeakMap<Push2Registration, Promise<void>>();

  constructor(
    private readonly host: ModuleHost,
    private readonly registry: Push2Registry,
    private readonly options: ResolvedPush2Options,
  ) {}

  /** A send profile's signing key, imported once (an enable waits for it to refuse a bad key). */
  signer(jwt: Push2Jwt): Promise<Push2Signer> {
    let signer = this.#signers.get(jwt);
    if (!signer) this.#signers.set(jwt, (signer = importSigner(jwt)));
    return signer;
  }

  notify(registration: Push2Registration, match: Push2Match, stanza: Element, priority: Push2Priority, voip: boolean): void {
    const previous = this.#queues.get(registration) ?? Promise.resolve();
    const built = previous.then(() => this.#build(registration, match, stanza, priority, voip));
    this.#queues.set(
      registration,
      built.then(
        () => undefined,
        () => undefined,
      ),
    );
    built.then(
      (notification) => this.#send(registration, xml("message", { to: registration.service, from: this.host.domain }, notification), 0),
      (error: unknown) => {
        // A key Web Crypto refuses cannot sign any notification: the registration goes, as after an error reply.
        const removed = this.registry.remove(registration);
        this.host.emit("push2-error", registration, new PushError("bad-request", `cannot build the notification: ${describe(error)}`, { type: "modify" }), removed ? "removed" : "dropped");
        if (removed) this.host.emit("push2-disabled", registration, "error");
      },
    );
  }

  /** A message to the domain: true when it answered one of our notifications. */
  answered(message: Element): boolean {
    const id = message.attrs.id;
    const pending = typeof id === "string" ? this.#pending.get(id) : undefined;
    if (!pending || message.attrs.type !== "error" || String(message.attrs.from ?? "") !== pending.registration.service) return false;
    this.#pending.delete(id as string);
    const error = parseStanzaError(message);
    const { registration, attempt } = pending;
    if (error.type === "wait") {
      if (attempt >= this.options.maxRetries) {
        this.host.emit("push2-error", registration, error, "dropped");
        return true;
      }
      this.host.emit("push2-error", registration, error, "retry");
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        // Disabled meanwhile: nothing more to send.
        if (this.registry.list(registration.account).includes(registration)) this.#send(registration, pending.message, attempt + 1);
      }, this.options.retryDelay * 2 ** attempt);
      this.#timers.add(timer);
      return true;
    }
    const removed = this.registry.remove(registration);
    this.host.emit("push2-error", registration, error, removed ? "removed" : "dropped");
    if (removed) this.host.emit("push2-disabled", registration, "error");
    return true;
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#pending.clear();
  }

  #send(registration: Push2Registration, message: Element, attempt: number): void {
    const id = `push2-${randomHex(8)}`;
    message.attrs.id = id;
    this.#pending.set(id, { registration, message, attempt });
    if (this.#pending.size > MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value ?? "");
    this.host.emit("push2-notified", registration, message);
    this.host.route(message);
  }

  async #build(registration: Push2Registration, match: Push2Match, stanza: Element, priority: Push2Priority, voip: boolean): Promise<Element> {
    const send = match.send;
    if (send.profile !== PUSH2_SEND_SCE) return buildPush2Notification({ client: registration.client, priority, voip });
    const plaintext = envelopeBytes(stanza, this.options.maxPayload);
    const payload = bytesToBase64(await encryptAes128gcm(plaintext, send.uaPublic, send.authSecret));
    if (!send.jwt) return buildPush2Notification({ client: registration.client, priority, voip, payload });
    const exp = Math.floor(this.options.now() / 1000) + this.options.jwtLifetime;
    const key = await this.signer(send.jwt);
    const token = await signJwt(key, send.jwt.claims, this.options.contactUri ?? `xmpp:${this.host.domain}`, exp);
    return buildPush2Notification({ client: registration.client, priority, voip, payload, jwt: { token, key: key.publicKey } });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
