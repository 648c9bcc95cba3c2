import {
  bareJid,
  buildForm,
  buildIq,
  buildNotification,
  buildPublish,
  buildSummary,
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
  /** Where the answer must be addressed: the publish's `from`. */
  publisher: string;
  timer: ReturnType<typeof setTimeout>;
}

/** Publishes XEP-0357 notifications and applies the server's rules to the push services' answers. */
export class PushPublisher {
  readonly #pending = new Map<string, PendingPublish>();
  readonly #idPrefix = `push-${randomHex(4)}-`;
  #counter = 0;

  constructor(
    private readonly domain: string,
    private readonly registry: PushRegistry,
    private readonly options: ResolvedPushOptions,
    private readonly hooks: PublisherHooks,
  ) {}

  /** One publish per registration of `account` for a message it could not receive now (S5). */
  notify(account: string, message: Element, messageCount: number): void {
    const registrations = this.registry.list(account);
    if (registrations.length === 0) return;
    const from = String(message.attrs.from ?? "");
    const shouldPublish = this.options.shouldPublish;
    if (shouldPublish && !shouldPublish(from, account, message)) return;

    const summary = this.#summary(message, from, messageCount);
    for (const registration of registrations) this.#publish(registration, summary);
  }

  #summary(message: Element, from: string, messageCount: number): Summary {
    const { options } = this;
    const summary: Summary = {};
    if (options.messageCount === "since-login") summary.messageCount = messageCount;
    else if (options.messageCount === "always-one") summary.messageCount = 1;
    if (options.includeSender && from) summary.lastMessageSender = options.senderResource ? from : bareJid(from);
    const body = bodyOf(message);
    if (body !== undefined && options.includeBody !== false) {
      summary.lastMessageBody = options.includeBody === true ? body : options.includeBody;
    }
    return summary;
  }

  #publish(registration: PushRegistration, summary: Summary): void {
    const id = this.#idPrefix + ++this.#counter;
    const publisher = this.options.publishFrom === "domain" ? this.domain : registration.account;
    const form = buildSummary(summary, this.options.summaryFormType, { emptyFields: this.options.emptyFields });
    const publish = buildIq(
      { type: "set", from: publisher, to: registration.jid, id },
      buildPublish({
        node: registration.node,
        payload: buildNotification({ extensions: [buildForm(form)] }),
        publishOptions: registration.publishOptions,
      }),
    );
    // A push service that never answers must not pin the entry forever; like ejabberd, a timeout changes nothing.
    const timer = setTimeout(() => this.#pending.delete(id), this.options.publishTimeout);
    this.#pending.set(id, { registration, publisher, timer });
    this.hooks.published(registration, publish);
    this.hooks.route(publish);
  }

  /** Consumes the answer to one of our publishes; returns false for any other stanza. */
  handleReply(iq: Element): boolean {
    const id = iq.attrs.id as string | undefined;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (!pending) return false;
    const { registration, publisher } = pending;
    // Only the push service itself may answer (mod_cloud_notify checks the same).
    if (!sameJid(iq.attrs.from, registration.jid) || !sameJid(iq.attrs.to, publisher)) return false;
    clearTimeout(pending.timer);
    this.#pending.delete(id as string);

    if (iq.attrs.type === "result") {
      registration.errors = 0;
      this.hooks.succeeded(registration);
      return true;
    }
    const error = parseStanzaError(iq);
    let removed = false;
    const counts = this.options.countErrors === "cancel" ? error.type === "cancel" : error.type !== "wait";
    if (counts && ++registration.errors >= this.options.maxPublishErrors) {
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
