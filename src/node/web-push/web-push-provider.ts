import { Emitter, PushError } from "../../protocol/index.js";
import type { AppRegistration, ProviderMessage, ProviderResult } from "../../sim/index.js";
import { conditionForStatus, WebPushDeliveryError } from "./errors.js";
import { fetchSender } from "./fetch-sender.js";
import { http1Sender } from "./http1-sender.js";
import { fittingPayloads, urgencyOf } from "./payload.js";
import type { PushSender } from "./push-answer.js";
import { buildPushRequest, type PushRequest, type WebPushSubscription } from "./request.js";
import { parseRetryAfter } from "./retry-after.js";
import { topicForNode } from "./topic.js";
import type { WebPushProvider, WebPushProviderEvents, WebPushProviderOptions } from "./types.js";
import { VapidHeaders } from "./vapid-header.js";
import { checkVapidDetails } from "./vapid-keys.js";
import { optionalPeer } from "../optional-peer.js";

/**
 * One day: long enough to reach a phone that was off overnight, short enough that a stale "new
 * message" never shows days later; the Topic keeps at most one pending per registration anyway.
 */
export const DEFAULT_TTL = 86_400;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_RETRY_DELAY = 5000;
const DEFAULT_INITIAL_RETRY_DELAY = 500;
const DEFAULT_TIMEOUT = 5000;
const DEFAULT_MAX_SOCKETS = 32;

/** What one request's answer means for the notification. */
type Outcome =
  | { kind: "delivered" }
  | { kind: "gone" }
  | { kind: "retry"; retryAfter: number | undefined; why: string }
  | { kind: "too-large"; why: string }
  | { kind: "refused"; status: number; why: string };

/**
 * A push provider for `webpush` registrations: encrypts `{v, node, account, summary}` for the
 * registration's browser subscription and POSTs it to its push service (RFC 8030/8291/8292).
 *
 * 201 → ok. 404/410 → token-invalid (the subscription is gone). 403 → token-invalid too: the
 * subscription is bound to another VAPID key (made before a key change, or for another app) and
 * will never take our pushes; the client re-subscribes with the key the app server advertises.
 * 429, 5xx and network failures → re-sent with exponential back-off honouring `Retry-After`,
 * within `maxRetries` and `maxRetryDelay`, then transient. 413 → re-sent once trimmed (no body,
 * then no sender either), then transient. 400, 401 and anything else → transient without retry
 * (the fault is ours, not the registration's, so it must not be dropped), raised as "error".
 */
export function webPushProvider(options: WebPushProviderOptions): WebPushProvider {
  optionalPeer("web-push", "webPushProvider()"); // fails here, not at the first push, when it is missing
  return new FetchWebPushProvider(options);
}

class FetchWebPushProvider extends Emitter<WebPushProviderEvents> implements WebPushProvider {
  readonly #vapidHeaders: VapidHeaders;
  readonly #ttl: number;
  readonly #send: PushSender;
  readonly #maxRetries: number;
  readonly #maxRetryDelay: number;
  readonly #initialRetryDelay: number;

  constructor(options: WebPushProviderOptions) {
    super();
    checkVapidDetails(options.vapid);
    this.#vapidHeaders = new VapidHeaders(options.vapid);
    this.#ttl = options.ttl ?? DEFAULT_TTL;
    this.#maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.#maxRetryDelay = options.maxRetryDelay ?? DEFAULT_MAX_RETRY_DELAY;
    this.#initialRetryDelay = options.initialRetryDelay ?? DEFAULT_INITIAL_RETRY_DELAY;
    const timeout = options.timeout ?? DEFAULT_TIMEOUT;
    const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
    if (!Number.isInteger(maxSockets) || maxSockets < 1) throw new PushError("bad-request", "maxSockets must be a positive integer");
    this.#send = options.fetch ? fetchSender(options.fetch, timeout) : http1Sender({ timeout, maxSockets });
  }

  async send(message: ProviderMessage): Promise<ProviderResult> {
    const subscription = subscriptionOf(message.registration);
    if (!subscription) {
      // Thrown, not token-invalid: a provider mounted under the wrong name must not drop registrations.
      throw this.#report("bad-request", "the registration has no Web Push endpoint, p256dh and auth", message.token);
    }
    const payloads = fittingPayloads(message);
    let payload = payloads.next().value;
    if (payload === undefined) {
      this.#report("policy-violation", "even the trimmed payload exceeds one 4096-byte record", subscription.endpoint);
      return { ok: false, reason: "transient" };
    }
    const requestOptions = { authorization: this.#vapidHeaders.forEndpoint(subscription.endpoint), ttl: this.#ttl, urgency: urgencyOf(message.summary), topic: topicForNode(message.node) };

    let trimmed = false;
    let retries = 0;
    for (;;) {
      let request: PushRequest;
      try {
        request = buildPushRequest(subscription, payload, requestOptions);
      } catch (error) {
        throw this.#report("bad-request", `web-push cannot encrypt for this subscription: ${messageOf(error)}`, subscription.endpoint);
      }
      const outcome = await this.#attempt(request);
      switch (outcome.kind) {
        case "delivered":
          return { ok: true };
        case "gone":
          return { ok: false, reason: "token-invalid" };
        case "too-large":
          if (!trimmed) {
            trimmed = true;
            const smaller = payloads.next().value;
            if (smaller !== undefined) {
              payload = smaller;
              continue;
            }
          }
          this.#report("policy-violation", outcome.why, subscription.endpoint, 413);
          return { ok: false, reason: "transient" };
        case "refused":
          if (outcome.status === 401) this.#vapidHeaders.forget(subscription.endpoint);
          this.#report(conditionForStatus(outcome.status), outcome.why, subscription.endpoint, outcome.status);
          return outcome.status === 403 ? { ok: false, reason: "token-invalid" } : { ok: false, reason: "transient" };
        case "retry": {
          const delay = outcome.retryAfter ?? Math.min(this.#initialRetryDelay * 2 ** retries, this.#maxRetryDelay);
          if (retries >= this.#maxRetries || delay > this.#maxRetryDelay) {
            return outcome.retryAfter === undefined ? { ok: false, reason: "transient" } : { ok: false, reason: "transient", retryAfter: outcome.retryAfter };
          }
          retries += 1;
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    }
  }

  async #attempt(request: PushRequest): Promise<Outcome> {
    let status: number;
    let why: string;
    let retryAfter: string | undefined;
    try {
      const answer = await this.#send(request);
      status = answer.status;
      retryAfter = answer.retryAfter;
      why = `the push service answered ${status}${answer.reason === "" ? "" : `: ${answer.reason}`}`;
    } catch (error) {
      return { kind: "retry", retryAfter: undefined, why: messageOf(error) };
    }
    if (status >= 200 && status < 300) return { kind: "delivered" };
    if (status === 404 || status === 410) return { kind: "gone" };
    if (status === 413) return { kind: "too-large", why };
    if (status === 429 || status >= 500) return { kind: "retry", retryAfter: parseRetryAfter(retryAfter), why };
    return { kind: "refused", status, why };
  }

  #report(condition: WebPushDeliveryError["condition"], text: string, endpoint: string, status?: number): WebPushDeliveryError {
    const error = new WebPushDeliveryError(condition, text, status === undefined ? { endpoint } : { endpoint, status });
    this.emit("error", error);
    return error;
  }
}

function subscriptionOf(registration: AppRegistration): WebPushSubscription | undefined {
  const [endpoint] = registration.fields.endpoint ?? [];
  const [p256dh] = registration.fields.p256dh ?? [];
  const [auth] = registration.fields.auth ?? [];
  if (!endpoint || !p256dh || !auth || !URL.canParse(endpoint)) return undefined;
  return { endpoint, keys: { p256dh: toBase64Url(p256dh), auth: toBase64Url(auth) } };
}

/** Push 2.0 style keys arrive as standard base64 (mod_push2 sends them so); Web Push wants base64url. */
function toBase64Url(value: string): string {
  return value.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
