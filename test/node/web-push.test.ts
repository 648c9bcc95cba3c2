import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createPushService,
  DEFAULT_TTL,
  type Fetch,
  generateVapidKeys,
  type MintedSubscription,
  type PushService,
  type RefusedPushRequest,
  type VapidDetails,
  WebPushDeliveryError,
  type WebPushProviderOptions,
  webPushProvider,
} from "../../src/node/index.js";
import { MAX_PLAINTEXT_BYTES } from "../../src/node/web-push/payload.js";
import { parseRetryAfter } from "../../src/node/web-push/retry-after.js";
import { topicForNode } from "../../src/node/web-push/topic.js";
import { VapidHeaders } from "../../src/node/web-push/vapid-header.js";
import { parsePushPayload, PushError, type Summary } from "../../src/protocol/index.js";
import type { ProviderMessage } from "../../src/sim/index.js";
import { bobSubscribesAndGoesOffline, type Chain, chat, createChain, nextEvent } from "../helpers/chain.js";
import { webPushMessageFor } from "../helpers/provider-message.js";

let service: PushService;
let vapid: VapidDetails;
let subscription: MintedSubscription;
let refused: RefusedPushRequest[];

beforeEach(async () => {
  service = await createPushService();
  vapid = { subject: "mailto:ops@example.test", ...generateVapidKeys() };
  subscription = service.subscribe({ applicationServerKey: vapid.publicKey });
  refused = [];
  service.on("refused", (refusal) => refused.push(refusal));
});
afterEach(async () => {
  await service.close();
});

const NODE = "5f2c0e1d9a8b7c6d5e4f3a2b1c0d9e8f";

function messageFor(target: Pick<MintedSubscription, "endpoint" | "keys"> = subscription, summary: Summary = { messageCount: 1 }, node = NODE): ProviderMessage {
  return webPushMessageFor(target, node, summary);
}

/** A provider with test-friendly delays whose errors are collected. */
function provider(options: Partial<WebPushProviderOptions> = {}) {
  const errors: WebPushDeliveryError[] = [];
  const instance = webPushProvider({ vapid, initialRetryDelay: 10, ...options });
  instance.on("error", (error) => errors.push(error));
  return { provider: instance, errors };
}

/** Wraps the real fetch: counts requests and lets a test answer or rewrite some of them. */
function interceptingFetch(intercept: (call: number, url: string, init: RequestInit) => Response | RequestInit | undefined = () => undefined) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetcher: Fetch = (url, init) => {
    calls.push({ url, headers: { ...(init.headers as Record<string, string>) } });
    const answer = intercept(calls.length, url, init);
    if (answer instanceof Response) return Promise.resolve(answer);
    return fetch(url, answer ?? init);
  };
  return { fetch: fetcher, calls };
}

describe("the request (W1, W9–W11, W13)", () => {
  it("W1, W9, W10: TTL defaults to one day, Urgency is normal without a body, Topic is derived from the node", async () => {
    expect(await provider().provider.send(messageFor())).toEqual({ ok: true });
    const message = await service.nextMessage();
    expect(message.ttl).toBe(DEFAULT_TTL);
    expect(DEFAULT_TTL).toBe(86_400);
    expect(message.urgency).toBe("normal");
    expect(message.topic).toBe(topicForNode(NODE));
    expect(message.headers["content-encoding"]).toBe("aes128gcm");
    expect(message.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
  });

  it("W9: Urgency is high when the summary has a last-message-body (the servers' important signal)", async () => {
    await provider().provider.send(messageFor(subscription, { messageCount: 1, lastMessageBody: "New Message!" }));
    expect((await service.nextMessage()).urgency).toBe("high");
  });

  it("W10: the Topic is at most 32 base64url characters, stable per node and different between nodes", () => {
    const topic = topicForNode(NODE);
    expect(topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(topicForNode(NODE)).toBe(topic);
    expect(topicForNode(`${NODE}0`)).not.toBe(topic);
    expect(topicForNode("x".repeat(500))).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
  });

  it("W8: two notifications for one registration collapse into the newer while pending", async () => {
    const { provider: sender } = provider();
    await sender.send(messageFor(subscription, { messageCount: 1 }));
    await sender.send(messageFor(subscription, { messageCount: 2 }));
    expect(service.pending()).toHaveLength(1);
    expect(parsePushPayload(service.pending()[0]?.plaintext ?? "")?.summary).toEqual({ messageCount: 2 });
  });

  it("the payload is {v, node, account, summary} with only the XEP-0357 summary fields", async () => {
    const summary: Summary = { messageCount: 2, pendingSubscriptionCount: 1, extra: { "x-custom": ["1"] } };
    await provider().provider.send(messageFor(subscription, summary));
    const message = await service.nextMessage();
    expect(JSON.parse(message.plaintext ?? "")).toEqual({ v: 1, node: NODE, account: "bob@example.test", summary: { messageCount: 2, pendingSubscriptionCount: 1 } });
  });

  it("a Tigase-encrypted publish's <encrypted/> goes along as `encrypted`, as the service worker reads it (T15)", async () => {
    const encrypted = { iv: "AAECAwQFBgcICQoL", payload: "c2VhbGVkIGJ5IHRpZ2FzZQ==", type: "voip" };
    await provider().provider.send({ ...messageFor(subscription, {}), encrypted });
    const message = await service.nextMessage();
    expect(JSON.parse(message.plaintext ?? "")).toEqual({ v: 1, node: NODE, account: "bob@example.test", summary: {}, encrypted });
    expect(parsePushPayload(message.plaintext ?? "")?.encrypted).toEqual(encrypted);
  });

  it("W12: every message uses a fresh salt and sender key", async () => {
    const { fetch: fetcher, calls } = interceptingFetch();
    const bodies: Buffer[] = [];
    const recording: Fetch = (url, init) => {
      bodies.push(Buffer.from(init.body as Uint8Array));
      return fetcher(url, init);
    };
    const { provider: sender } = provider({ fetch: recording });
    await sender.send(messageFor());
    await sender.send(messageFor());
    expect(calls).toHaveLength(2);
    const [first, second] = bodies.map((body) => ({ salt: body.subarray(0, 16).toString("hex"), key: body.subarray(21, 86).toString("hex") }));
    expect(first?.salt).not.toBe(second?.salt);
    expect(first?.key).not.toBe(second?.key);
  });

  it("W13: one VAPID token per push-service origin, reused until an hour before its 12-hour exp, re-signed after forget (401)", () => {
    // web-push refuses to sign an exp more than 24 h after the real clock: stay near it.
    const hour = 3600 * 1000;
    let now = Math.floor(Date.now() / 1000) * 1000 - 11 * hour;
    const headers = new VapidHeaders(vapid, () => now);
    const first = headers.forEndpoint(`${service.origin}/push/a`);
    const claims = JSON.parse(Buffer.from(first.split(".")[1] ?? "", "base64url").toString()) as { aud: string; exp: number; sub: string };
    expect(claims).toEqual({ aud: service.origin, exp: now / 1000 + 12 * 3600, sub: vapid.subject });
    expect(first).toMatch(new RegExp(`, k=${vapid.publicKey}$`));
    expect(headers.forEndpoint(`${service.origin}/push/b`)).toBe(first);
    expect(headers.forEndpoint("https://fcm.googleapis.com/wp/x")).not.toBe(first);

    now += 10 * hour;
    expect(headers.forEndpoint(`${service.origin}/push/a`)).toBe(first);
    now += 1 * hour;
    const renewed = headers.forEndpoint(`${service.origin}/push/a`);
    expect(renewed).not.toBe(first);
    headers.forget(`${service.origin}/push/a`);
    expect(headers.forEndpoint(`${service.origin}/push/a`)).not.toBe(renewed);
  });

  it("refuses VAPID details that cannot work when it is made", () => {
    expect(() => webPushProvider({ vapid: { ...vapid, subject: "xmpp:example.test" } })).toThrow(PushError);
    expect(() => webPushProvider({ vapid: { ...vapid, publicKey: "short" } })).toThrow(/public key/);
    expect(() => webPushProvider({ vapid: { ...vapid, privateKey: vapid.publicKey } })).toThrow(/private key/);
  });
});

describe("a dead subscription (W4)", () => {
  it("W4: 410 Gone → token-invalid", async () => {
    service.expire(subscription.endpoint);
    expect(await provider().provider.send(messageFor())).toEqual({ ok: false, reason: "token-invalid" });
    expect(refused.map((refusal) => refusal.status)).toEqual([410]);
  });

  it("W4: 404 Not Found → token-invalid", async () => {
    const unknown = { ...subscription, endpoint: `${service.origin}/push/never-minted` };
    expect(await provider().provider.send(messageFor(unknown))).toEqual({ ok: false, reason: "token-invalid" });
    expect(refused.map((refusal) => refusal.status)).toEqual([404]);
  });

  it("W2: 403 (subscription bound to another VAPID key) → token-invalid, and an error the app can see", async () => {
    const { provider: otherKey, errors } = provider({ vapid: { subject: "mailto:ops@example.test", ...generateVapidKeys() } });
    expect(await otherKey.send(messageFor())).toEqual({ ok: false, reason: "token-invalid" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PushError);
    expect(errors[0]).toMatchObject({ condition: "forbidden", status: 403, endpoint: subscription.endpoint });
  });
});

describe("our own faults are not the registration's (W2, W1)", () => {
  it("W2: 401 (our VAPID token refused) → transient, not retried, reported as not-authorized", async () => {
    const { fetch: fetcher, calls } = interceptingFetch((_call, _url, init) => ({
      ...init,
      headers: { ...(init.headers as Record<string, string>), Authorization: "vapid t=broken, k=broken" },
    }));
    const { provider: sender, errors } = provider({ fetch: fetcher });
    expect(await sender.send(messageFor())).toEqual({ ok: false, reason: "transient" });
    expect(calls).toHaveLength(1);
    expect(refused.map((refusal) => refusal.status)).toEqual([401]);
    expect(errors[0]).toMatchObject({ condition: "not-authorized", status: 401 });
  });

  it("W1: 400 → transient, not retried, reported as bad-request", async () => {
    const { fetch: fetcher, calls } = interceptingFetch((_call, _url, init) => {
      const { TTL: _ttl, ...headers } = init.headers as Record<string, string>;
      return { ...init, headers };
    });
    const { provider: sender, errors } = provider({ fetch: fetcher });
    expect(await sender.send(messageFor())).toEqual({ ok: false, reason: "transient" });
    expect(calls).toHaveLength(1);
    expect(errors[0]).toMatchObject({ condition: "bad-request", status: 400 });
    expect(errors[0]?.message).toMatch(/TTL/);
  });

  it("a registration without Web Push keys is refused with a PushError, not dropped", async () => {
    const message = messageFor();
    message.registration.fields = { token: ["fcm-token"] };
    const { provider: sender, errors } = provider();
    await expect(sender.send(message)).rejects.toMatchObject({ name: "PushError", condition: "bad-request" });
    expect(errors).toHaveLength(1);
    expect(service.messages).toEqual([]);
  });

  it("a p256dh web-push cannot encrypt for is refused with a PushError, not dropped", async () => {
    const broken = { ...subscription, keys: { ...subscription.keys, p256dh: "AAAA" } };
    const { provider: sender, errors } = provider();
    await expect(sender.send(messageFor(broken))).rejects.toMatchObject({ name: "PushError", condition: "bad-request" });
    expect(errors[0]?.message).toMatch(/cannot encrypt/);
    expect(service.messages).toEqual([]);
  });
});

describe("retries (W6)", () => {
  it("W6: 429 with Retry-After, then 201 → retried once after Retry-After, ok", async () => {
    service.rateLimit(subscription.endpoint, { count: 1, retryAfter: 1 });
    expect(await provider().provider.send(messageFor())).toEqual({ ok: true });
    expect(refused.map((refusal) => refusal.status)).toEqual([429]);
    expect(service.messages).toHaveLength(1);
  });

  it("W6: retries are bounded by maxRetries, then transient with the service's Retry-After", async () => {
    service.rateLimit(subscription.endpoint, { count: 10, retryAfter: 0 });
    expect(await provider({ maxRetries: 2 }).provider.send(messageFor())).toEqual({ ok: false, reason: "transient", retryAfter: 0 });
    expect(refused.map((refusal) => refusal.status)).toEqual([429, 429, 429]);
    expect(service.messages).toEqual([]);
  });

  it("W6: a Retry-After beyond maxRetryDelay is not waited for: transient at once with that retryAfter", async () => {
    service.rateLimit(subscription.endpoint, { count: 10, retryAfter: 60 });
    const result = await provider({ maxRetryDelay: 1000 }).provider.send(messageFor());
    expect(result).toEqual({ ok: false, reason: "transient", retryAfter: 60_000 });
    expect(refused).toHaveLength(1);
  });

  it("W6: Retry-After as an HTTP date is honoured", async () => {
    service.rateLimit(subscription.endpoint, { count: 10, retryAfter: new Date(Date.now() + 3_600_000) });
    const result = await provider().provider.send(messageFor());
    expect(result).toMatchObject({ ok: false, reason: "transient" });
    const retryAfter = result.ok === false && result.reason === "transient" ? result.retryAfter : undefined;
    expect(retryAfter).toBeGreaterThan(3_500_000);
    expect(refused).toHaveLength(1);
  });

  it("5xx without Retry-After is retried with back-off until it succeeds", async () => {
    const { fetch: fetcher, calls } = interceptingFetch((call) => (call <= 2 ? new Response("busy", { status: 503 }) : undefined));
    expect(await provider({ fetch: fetcher }).provider.send(messageFor())).toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    expect(service.messages).toHaveLength(1);
  });

  it("a push service that cannot be reached is retried, bounded, then transient", async () => {
    const closed = await createPushService();
    const unreachable = closed.subscribe({ applicationServerKey: vapid.publicKey });
    await closed.close();
    const { fetch: fetcher, calls } = interceptingFetch();
    expect(await provider({ fetch: fetcher, maxRetries: 1 }).provider.send(messageFor(unreachable))).toEqual({ ok: false, reason: "transient" });
    expect(calls).toHaveLength(2);
  });

  it("W6: parseRetryAfter reads delay-seconds and HTTP dates, nothing else", () => {
    const now = Date.parse("Sun, 06 Nov 1994 08:49:37 GMT");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:50:37 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Sunday, 06-Nov-94 08:49:47 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now)).toBe(0);
    for (const bad of ["-5", "1.5", "1994-11-06T08:50:37Z", "soon", "", null, undefined]) expect(parseRetryAfter(bad, now)).toBeUndefined();
  });
});

describe("payload size (W5)", () => {
  it("W5: 413 → re-sent once without the body (keeping the sender), and delivered", async () => {
    const { fetch: fetcher, calls } = interceptingFetch((call) => (call === 1 ? new Response(null, { status: 413 }) : undefined));
    const summary = { messageCount: 1, lastMessageSender: "alice@example.test", lastMessageBody: "long story" };
    expect(await provider({ fetch: fetcher }).provider.send(messageFor(subscription, summary))).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
    const delivered = parsePushPayload((await service.nextMessage()).plaintext ?? "");
    expect(delivered?.summary).toEqual({ messageCount: 1, lastMessageSender: "alice@example.test" });
  });

  it("W5: 413 again after trimming → transient and reported, never a loop", async () => {
    const { fetch: fetcher, calls } = interceptingFetch(() => new Response(null, { status: 413 }));
    const { provider: sender, errors } = provider({ fetch: fetcher });
    const summary = { messageCount: 1, lastMessageSender: "alice@example.test", lastMessageBody: "long story" };
    expect(await sender.send(messageFor(subscription, summary))).toEqual({ ok: false, reason: "transient" });
    expect(calls).toHaveLength(2);
    expect(errors[0]).toMatchObject({ condition: "policy-violation", status: 413 });
  });

  it("W5: 413 with nothing left to trim → transient after one request", async () => {
    const { fetch: fetcher, calls } = interceptingFetch(() => new Response(null, { status: 413 }));
    expect(await provider({ fetch: fetcher }).provider.send(messageFor())).toEqual({ ok: false, reason: "transient" });
    expect(calls).toHaveLength(1);
  });

  it("W5: a body too big for one record is left out before sending, so the service never sees 413", async () => {
    const summary = { messageCount: 1, lastMessageSender: "alice@example.test", lastMessageBody: "🍝".repeat(MAX_PLAINTEXT_BYTES) };
    expect(await provider().provider.send(messageFor(subscription, summary))).toEqual({ ok: true });
    expect(refused).toEqual([]);
    const message = await service.nextMessage();
    expect(parsePushPayload(message.plaintext ?? "")?.summary).toEqual({ messageCount: 1, lastMessageSender: "alice@example.test" });
    expect(message.urgency).toBe("high");
  });
});

describe("end to end: XMPP server → app server → web-push → push service (W4, W7)", () => {
  let chain: Chain;
  afterEach(async () => {
    await chain?.close();
  });

  it("an offline message reaches the push service encrypted; after the subscription expires the registration goes everywhere", async () => {
    const { provider: webpush } = provider();
    chain = createChain({ appServer: { providers: { webpush } } });
    const { alice, registration } = await bobSubscribesAndGoesOffline(chain, { provider: "webpush", token: subscription });

    await alice.send(chat("bob@example.test", "Hello Bob"));
    const message = await service.nextMessage({ endpoint: subscription.endpoint });
    expect(JSON.parse(message.plaintext ?? "")).toEqual({ v: 1, node: registration.node, account: "bob@example.test", summary: { messageCount: 1 } });
    expect(chain.server.registrations("bob")).toHaveLength(1);

    service.expire(subscription.endpoint);
    const publishError = nextEvent(chain.server, "publish-error");
    const unregistered = nextEvent(chain.appServer, "unregistered");
    await alice.send(chat("bob@example.test", "Still there?"));
    const [[, error, removed], [dropped]] = await Promise.all([publishError, unregistered]);

    expect(refused.map((refusal) => refusal.status)).toEqual([410]);
    expect(dropped.node).toBe(registration.node);
    expect(error.condition).toBe("item-not-found");
    expect(removed).toBe(true);
    expect(chain.appServer.registrations("bob@example.test")).toEqual([]);
    expect(chain.server.registrations("bob")).toEqual([]);
  });
});
