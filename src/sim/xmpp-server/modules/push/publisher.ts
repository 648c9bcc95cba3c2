import {
  buildForm,
  buildIq,
  buildNotification,
  buildPublish,
  type Element,
  parseStanzaError,
  randomHex,
  type Summary,
} from "../../../../protocol/index.js";
import type { ModuleHost } from "../../module.js";
import type { ResolvedPushOptions } from "./options.js";
import type { PushRegistration, PushRegistry } from "./registry.js";
import { type PushCounts, summaryForm, summaryOf } from "./summary.js";
import type { UserSummaryOptions } from "./user-options.js";
import { isVirtualPubsubHost, pushInServer } from "./virtual-hosts.js";

/** Publishes XEP-0357 notifications and applies the server's rules to the push services' answers. */
export class PushPublisher {
  readonly #idPrefix = `push-${randomHex(4)}-`;
  #counter = 0;

  constructor(
    private readonly host: ModuleHost,
    private readonly registry: PushRegistry,
    private readonly options: ResolvedPushOptions,
  ) {}

  /**
   * One publish per registration (default: every one of `account`) for a message or subscription
   * request it could not receive now (S5), or with no stanza for a `cloud-notify-ping`.
   */
  notify(account: string, message: Element | undefined, counts: PushCounts, user: UserSummaryOptions, registrations: readonly PushRegistration[] = this.registry.list(account)): void {
    if (registrations.length === 0) return;
    const from = String(message?.attrs.from ?? "");
    const { shouldPublish, publishNotification } = this.options;
    if (message && shouldPublish && !shouldPublish(from, account, message)) return;
    // The hook replaces the publishing of stanzas; a cloud-notify-ping (no stanza) publishes as usual.
    if (publishNotification && message) {
      try {
        publishNotification(from, account, message, registrations);
      } catch (error) {
        this.host.emit("internal-error", error, message);
      }
      return;
    }
    const summary = summaryOf(message, counts, this.options, user);
    for (const registration of registrations) {
      if (isVirtualPubsubHost(this.options.virtualPubsubHosts, registration.jid)) {
        pushInServer(this.host, this.registry, this.options.pushService, registration, summary);
      } else {
        this.#publish(registration, summary, message);
      }
    }
  }

  #publish(registration: PushRegistration, summary: Summary, stanza: Element | undefined): void {
    const form = summaryForm(summary, this.options);
    const notification = buildNotification({ extensions: [buildForm(form)] });
    const publish = buildIq(
      {
        type: "set",
        from: this.options.publishFrom === "domain" ? this.host.domain : registration.account,
        to: registration.jid,
        id: this.#idPrefix + ++this.#counter,
      },
      buildPublish({
        node: registration.node,
        payload: notification,
        publishOptions: registration.publishOptions,
      }),
    );
    const event = { account: registration.account, registration, publish, notification, stanza, summary, important: summary.lastMessageBody !== undefined, pending: [] as Promise<unknown>[] };
    if (this.host.fire("cloud-notify/push", event) === true) return;
    if (event.pending.length === 0) this.#send(registration, publish);
    else {
      Promise.all(event.pending).then(
        () => this.#send(registration, publish),
        (error: unknown) => this.host.emit("internal-error", error, publish),
      );
    }
  }

  #send(registration: PushRegistration, publish: Element): void {
    this.host.emit("published", registration, publish);
    // A push service that never answers changes nothing, as in ejabberd.
    this.host.request(publish, this.options.publishTimeout, (reply) => {
      if (reply) this.#answered(registration, reply);
    });
  }

  #answered(registration: PushRegistration, reply: Element): void {
    if (reply.attrs.type === "result") {
      registration.errors = 0;
      this.host.emit("publish-result", registration);
      return;
    }
    const error = parseStanzaError(reply);
    const counts = this.options.countErrors === "cancel" ? error.type === "cancel" : error.type !== "wait";
    const removed = counts && ++registration.errors >= this.options.maxPublishErrors && this.registry.remove(registration);
    this.host.emit("publish-error", registration, error, removed);
  }
}
