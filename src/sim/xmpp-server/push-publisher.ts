import {
  bareJid,
  buildIq,
  buildNotification,
  buildPublish,
  type Element,
  parseStanzaError,
  type PushError,
  randomHex,
  type Summary,
} from "../../protocol/index.js";
import { bodyOf } from "./business-rules.js";
import type { ResolvedPushOptions } from "./options.js";
import type { PushRegistration, PushRegistry } from "./push-registry.js";

export interface PublisherHooks {
  /** Routes a stanza through the server. */
  route(stanza: Element): void;
  published(registration: PushRegistration, publish: Element): void;
  succeeded(registration: PushRegistration): void;
  failed(registration: PushRegistration, error: PushError, removed: boolean): void;
}

interface PendingPublish {
  registration: PushRegistration;
  timer: ReturnType<typeof setTimeout>;
}

/** Publishes XEP-0357 notifications and applies the server's rules to the push services' answers. */
export class PushPublisher {
  readonly #pending = new Map<string, PendingPublish>();
  readonly #idPrefix = `push-${randomHex(4)}-`;
  #counter = 0;

  constructor(
    private readonly registry: PushRegistry,
    private readonly options: ResolvedPushOptions,
    private readonly hooks: PublisherHooks,
  ) {}

  /** One publish per registration of `account` for a message it could not receive now (S5). */
  notify(account: string, message: Element, messageCount: number): number {
    const from = String(message.attrs.from ?? "");
    const shouldPublish = this.options.shouldPublish;
    if (shouldPublish && !shouldPublish(from, account, message)) return 0;

    const summary: Summary = { messageCount };
    if (this.options.includeSender && from) summary.lastMessageSender = from;
    const body = bodyOf(message);
    if (this.options.includeBody && body !== undefined) summary.lastMessageBody = body;

    const registrations = this.registry.list(account);
    for (const registration of registrations) this.#publish(registration, summary);
    return registrations.length;
  }

  #publish(registration: PushRegistration, summary: Summary): void {
    const id = this.#idPrefix + ++this.#counter;
    const publish = buildIq(
      { type: "set", from: registration.account, to: registration.jid, id },
      buildPublish({
        node: registration.node,
        payload: buildNotification({ summary }),
        publishOptions: registration.publishOptions,
      }),
    );
    // A push service that never answers must not pin the entry forever; like ejabberd, a timeout changes nothing.
    const timer = setTimeout(() => this.#pending.delete(id), this.options.publishTimeout);
    this.#pending.set(id, { registration, timer });
    this.hooks.published(registration, publish);
    this.hooks.route(publish);
  }

  /** Consumes the answer to one of our publishes; returns false for any other stanza. */
  handleReply(iq: Element): boolean {
    const id = iq.attrs.id as string | undefined;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (!pending) return false;
    const { registration } = pending;
    // Only the push service itself may answer (mod_cloud_notify checks the same).
    if (!sameJid(iq.attrs.from, registration.jid) || !sameJid(iq.attrs.to, registration.account)) return false;
    clearTimeout(pending.timer);
    this.#pending.delete(id as string);

    if (iq.attrs.type === "result") {
      registration.errors = 0;
      this.hooks.succeeded(registration);
      return true;
    }
    const error = parseStanzaError(iq);
    let removed = false;
    if (error.type !== "wait" && ++registration.errors >= this.options.maxPublishErrors) {
      removed = this.registry.remove(registration);
    }
    this.hooks.failed(registration, error, removed);
    return true;
  }

  close(): void {
    for (const { timer } of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }
}

function sameJid(value: unknown, expected: string): boolean {
  if (typeof value !== "string") return false;
  try {
    return bareJid(value) === bareJid(expected);
  } catch {
    return false;
  }
}
