import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { connect } from "node:net";
import webPush from "web-push";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPushService, generateVapidKeys, type MintedSubscription, type PushService, type RefusedPushRequest, webPushProvider } from "../../src/node/index.js";
import { encodePushPayload, type PushPayload } from "../../src/protocol/index.js";
import { checkVapid, knownKeyCount } from "../../src/node/push-service/vapid.js";
import { webPushMessageFor } from "../helpers/provider-message.js";

/** A VAPID key pair made with Node's crypto, independently of web-push and of the simulator. */
interface TestVapidKey {
  privateKey: KeyObject;
  /** base64url uncompressed point, as `k` and `applicationServerKey` carry it. */
  publicKey: string;
}

function newVapidKey(): TestVapidKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? "", "base64url"), Buffer.from(jwk.y ?? "", "base64url")]);
  return { privateKey, publicKey: point.toString("base64url") };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An ES256 JWT over `claims`, signed by `signer`. */
function vapidToken(signer: TestVapidKey, claims: Record<string, unknown>, header: Record<string, unknown> = { typ: "JWT", alg: "ES256" }): string {
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const signature = sign("sha256", Buffer.from(signingInput), { key: signer.privateKey, dsaEncoding: "ieee-p1363" });
  return `${signingInput}.${signature.toString("base64url")}`;
}

let service: PushService;
let vapid: TestVapidKey;
let subscription: MintedSubscription;
let refused: RefusedPushRequest[];

beforeEach(async () => {
  service = await createPushService({ requestTimeout: 1000 });
  vapid = newVapidKey();
  subscription = service.subscribe({ applicationServerKey: vapid.publicKey });
  refused = [];
  service.on("refused", (refusal) => refused.push(refusal));
});
afterEach(async () => {
  await service.close();
});

function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { aud: service.origin, exp: nowSeconds() + 3600, sub: "mailto:ops@example.test", ...overrides };
}

function authorization(signer = vapid, claims = validClaims(), key = signer.publicKey): string {
  return `vapid t=${vapidToken(signer, claims)}, k=${key}`;
}

function encrypted(plaintext: string, target = subscription): Buffer {
  return webPush.encrypt(target.keys.p256dh, target.keys.auth, plaintext, "aes128gcm").cipherText;
}

/** A well-formed push; `headers` override (undefined removes one). */
function post(options: { endpoint?: string; body?: Buffer; headers?: Record<string, string | undefined> } = {}): Promise<Response> {
  const headers: Record<string, string | undefined> = {
    ttl: "60",
    "content-encoding": "aes128gcm",
    "content-type": "application/octet-stream",
    authorization: authorization(),
    ...options.headers,
  };
  const defined = Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return fetch(options.endpoint ?? subscription.endpoint, {
    method: "POST",
    headers: defined,
    body: Uint8Array.from(options.body ?? encrypted("hello")),
    signal: AbortSignal.timeout(3000),
  });
}

describe("accepting a push (W7, W11)", () => {
  it("W7: answers 201 with a Location and decrypts the body per RFC 8291 with the subscription's keys", async () => {
    const response = await post({ body: encrypted("Grüße — 🍝 <b>&") });
    expect(response.status).toBe(201);
    const message = service.messages[0];
    expect(response.headers.get("location")).toBe(message?.location);
    expect(message?.location).toMatch(new RegExp(`^${service.origin}/message/[A-Za-z0-9_-]+$`));
    expect(message).toMatchObject({ endpoint: subscription.endpoint, ttl: 60, urgency: "normal", topic: undefined, plaintext: "Grüße — 🍝 <b>&" });
    expect(refused).toEqual([]);
  });

  it("W7: what the provider sends decrypts to exactly the payload JSON it encoded", async () => {
    const keys = generateVapidKeys();
    const bound = service.subscribe({ applicationServerKey: keys.publicKey });
    const provider = webPushProvider({ vapid: { subject: "mailto:ops@example.test", ...keys } });
    const summary = { messageCount: 3, lastMessageSender: "alice@example.test/laptop", lastMessageBody: "Dinner at 8? <b> & 'you' — 🍝" };
    const result = await provider.send(webPushMessageFor(bound, "a1b2c3", summary));

    expect(result).toEqual({ ok: true });
    const message = await service.nextMessage({ endpoint: bound.endpoint });
    const sent: PushPayload = { v: 1, node: "a1b2c3", account: "bob@example.test", summary };
    expect(message.plaintext).toBe(encodePushPayload(sent));
  });

  it("W7: a push without payload needs no Content-Encoding and is accepted without plaintext", async () => {
    const response = await post({ body: Buffer.alloc(0), headers: { "content-encoding": undefined } });
    expect(response.status).toBe(201);
    expect(service.messages[0]?.plaintext).toBeUndefined();
  });

  it("W11: a body of more than one record (record size below the ciphertext) is refused with 400", async () => {
    const body = encrypted("hello");
    body.writeUInt32BE(18, 16);
    const response = await post({ body });
    expect(response.status).toBe(400);
    expect(refused[0]?.reason).toMatch(/single record/);
    expect(service.messages).toEqual([]);
  });

  it("W7: a body encrypted for another subscription's keys is refused with 400, not recorded", async () => {
    const other = service.subscribe();
    const response = await post({ body: encrypted("for someone else", other) });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/could not decrypt/);
    expect(service.messages).toEqual([]);
  });

  it("W11: Content-Encoding other than aes128gcm is 415; a payload without Content-Encoding is 400", async () => {
    expect((await post({ headers: { "content-encoding": "aesgcm" } })).status).toBe(415);
    expect((await post({ headers: { "content-encoding": undefined } })).status).toBe(400);
    expect(service.messages).toEqual([]);
  });
});

describe("TTL (W1)", () => {
  it("W1: a POST without TTL is refused with 400", async () => {
    const response = await post({ headers: { ttl: undefined } });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/TTL/);
    expect(service.messages).toEqual([]);
  });

  it("W1: a TTL that is not a non-negative integer is refused with 400", async () => {
    for (const ttl of ["-1", "1.5", "soon"]) expect((await post({ headers: { ttl } })).status).toBe(400);
    expect((await post({ headers: { ttl: "0" } })).status).toBe(201);
  });
});

describe("VAPID (W2, W3)", () => {
  it("W2: no Authorization header → 401 with WWW-Authenticate: vapid", async () => {
    const response = await post({ headers: { authorization: undefined } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("vapid");
  });

  it("W2: a token signed by another key than k → 401", async () => {
    const impostor = newVapidKey();
    const response = await post({ headers: { authorization: authorization(impostor, validClaims(), vapid.publicKey) } });
    expect(response.status).toBe(401);
    expect(refused[0]?.reason).toMatch(/signature/);
  });

  it("W2: malformed credentials → 401 (other scheme, no k, not a JWT, alg none, k not a point)", async () => {
    const token = vapidToken(vapid, validClaims());
    const unsigned = `${base64url({ typ: "JWT", alg: "none" })}.${base64url(validClaims())}.`;
    for (const value of [
      `WebPush ${token}`,
      `vapid t=${token}`,
      `vapid t=not-a-jwt, k=${vapid.publicKey}`,
      `vapid t=${unsigned}, k=${vapid.publicKey}`,
      `vapid t=${token}, k=${Buffer.alloc(65, 4).toString("base64url")}`,
      `vapid t=${token}, k=***`,
    ]) {
      expect((await post({ headers: { authorization: value } })).status, value).toBe(401);
    }
    expect(service.messages).toEqual([]);
  });

  it("W3: aud other than the endpoint's origin → 401", async () => {
    const wrongAudience = authorization(vapid, validClaims({ aud: "https://push.example.net" }));
    const response = await post({ headers: { authorization: wrongAudience } });
    expect(response.status).toBe(401);
    expect(refused[0]?.reason).toMatch(/aud/);
  });

  it("W3: an expired token → 401", async () => {
    const response = await post({ headers: { authorization: authorization(vapid, validClaims({ exp: nowSeconds() - 60 })) } });
    expect(response.status).toBe(401);
    expect(refused[0]?.reason).toMatch(/expired/);
  });

  it("W3: exp more than 24 hours ahead → 401; just under 24 hours is fine", async () => {
    const tooFar = await post({ headers: { authorization: authorization(vapid, validClaims({ exp: nowSeconds() + 25 * 3600 })) } });
    expect(tooFar.status).toBe(401);
    expect(refused[0]?.reason).toMatch(/24 hours/);
    const justUnder = await post({ headers: { authorization: authorization(vapid, validClaims({ exp: nowSeconds() + 24 * 3600 - 60 })) } });
    expect(justUnder.status).toBe(201);
  });

  it("W3: no exp, no sub, or a sub that is neither mailto: nor https: → 401", async () => {
    for (const claims of [
      { aud: service.origin, sub: "mailto:ops@example.test" },
      validClaims({ sub: undefined }),
      validClaims({ sub: "xmpp:example.test" }),
    ]) {
      expect((await post({ headers: { authorization: authorization(vapid, claims) } })).status, JSON.stringify(claims)).toBe(401);
    }
  });

  it("W2: every token is verified, also once k's key object is cached from an accepted push", async () => {
    expect((await post()).status).toBe(201);
    const impostor = newVapidKey();
    const forged = await post({ headers: { authorization: authorization(impostor, validClaims(), vapid.publicKey) } });
    expect(forged.status).toBe(401);
    expect(refused.map((refusal) => refusal.reason)).toEqual([expect.stringMatching(/signature/)]);
    expect((await post()).status).toBe(201);
  });

  it("the cache of key objects stays bounded however many keys come", () => {
    for (let count = 0; count < 300; count++) {
      const signer = newVapidKey();
      expect(checkVapid(authorization(signer), service.origin, Date.now())).toMatchObject({ ok: true });
    }
    expect(knownKeyCount()).toBeLessThanOrEqual(256);
    // An evicted key is made again and still verifies.
    expect(checkVapid(authorization(), service.origin, Date.now())).toMatchObject({ ok: true });
  });

  it("W2: a valid token from another key than the subscription was bound to → 403", async () => {
    const otherApp = newVapidKey();
    const response = await post({ headers: { authorization: authorization(otherApp) } });
    expect(response.status).toBe(403);
    expect(service.messages).toEqual([]);
  });

  it("W2: a subscription made without applicationServerKey takes any valid VAPID key", async () => {
    const unbound = service.subscribe();
    const response = await post({ endpoint: unbound.endpoint, body: encrypted("hi", unbound), headers: { authorization: authorization(newVapidKey()) } });
    expect(response.status).toBe(201);
  });
});

describe("subscription state (W4)", () => {
  it("W4: an unknown subscription → 404", async () => {
    const response = await post({ endpoint: `${service.origin}/push/no-such-subscription` });
    expect(response.status).toBe(404);
  });

  it("W4: an expired subscription → 410, also for an otherwise perfect request", async () => {
    expect((await post()).status).toBe(201);
    service.expire(subscription.endpoint);
    expect((await post()).status).toBe(410);
    expect(service.messages).toHaveLength(1);
  });

  it("W4: expire() of an endpoint the service never minted throws", () => {
    expect(() => service.expire("https://push.example.net/whatever")).toThrow(/no subscription/);
  });
});

describe("size (W5)", () => {
  it("W5: a body over 4096 bytes → 413; 3993 bytes of plaintext (exactly 4096 of body) are accepted", async () => {
    const fits = encrypted("x".repeat(3993));
    expect(fits.length).toBe(4096);
    expect((await post({ body: fits })).status).toBe(201);

    const tooBig = encrypted("x".repeat(3994));
    expect(tooBig.length).toBe(4097);
    const response = await post({ body: tooBig });
    expect(response.status).toBe(413);
    expect(service.messages).toHaveLength(1);
  });

  it("W5: a huge body is refused with 413 without reading it all, and the service keeps working", async () => {
    const response = await post({ body: Buffer.alloc(1024 * 1024, 1) }).catch((error: unknown) => error);
    // The service may close the connection before the upload finished; either way it is not accepted.
    if (response instanceof Response) expect(response.status).toBe(413);
    expect((await post()).status).toBe(201);
  });
});

describe("rate limiting (W6)", () => {
  it("W6: a rate-limited endpoint answers 429 with Retry-After in seconds, for `count` requests, then 201", async () => {
    service.rateLimit(subscription.endpoint, { count: 2, retryAfter: 7 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await post();
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("7");
    }
    expect((await post()).status).toBe(201);
  });

  it("W6: Retry-After can be an HTTP date", async () => {
    const at = new Date(Date.now() + 120_000);
    service.rateLimit(subscription.endpoint, { retryAfter: at });
    const response = await post();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe(at.toUTCString());
  });
});

describe("Topic and Urgency (W8)", () => {
  it("W8: a message with the Topic of a pending one replaces it; a taken one is not replaced", async () => {
    await post({ body: encrypted("first"), headers: { topic: "chat-bob" } });
    await post({ body: encrypted("other topic"), headers: { topic: "chat-carol" } });
    await post({ body: encrypted("second"), headers: { topic: "chat-bob" } });
    expect(service.messages.map((message) => message.plaintext)).toEqual(["other topic", "second"]);
    expect(service.pending(subscription.endpoint).map((message) => message.plaintext)).toEqual(["other topic", "second"]);

    expect((await service.nextMessage()).plaintext).toBe("other topic");
    expect((await service.nextMessage()).plaintext).toBe("second");
    await post({ body: encrypted("third"), headers: { topic: "chat-bob" } });
    expect(service.messages.map((message) => message.plaintext)).toEqual(["other topic", "second", "third"]);
  });

  it("W8: the same Topic on another subscription replaces nothing", async () => {
    const other = service.subscribe({ applicationServerKey: vapid.publicKey });
    await post({ body: encrypted("to me"), headers: { topic: "t" } });
    await post({ endpoint: other.endpoint, body: encrypted("to other", other), headers: { topic: "t" } });
    expect(service.pending()).toHaveLength(2);
  });

  it("W8: Urgency is recorded; an invalid Urgency or Topic is 400", async () => {
    expect((await post({ headers: { urgency: "very-low" } })).status).toBe(201);
    expect(service.messages[0]?.urgency).toBe("very-low");
    expect((await post({ headers: { urgency: "urgent" } })).status).toBe(400);
    expect((await post({ headers: { topic: "x".repeat(33) } })).status).toBe(400);
    expect((await post({ headers: { topic: "not base64url!" } })).status).toBe(400);
  });

  it("nextMessage waits for the next message and rejects after its timeout", async () => {
    await expect(service.nextMessage({ timeout: 50 })).rejects.toThrow(/no push message/);
    const next = service.nextMessage({ endpoint: subscription.endpoint });
    await post({ body: encrypted("later") });
    expect((await next).plaintext).toBe("later");
    expect(service.pending()).toEqual([]);
  });
});

describe("what it keeps (W14)", () => {
  /** A service with small limits, its own subscription bound to the suite's VAPID key. */
  async function limited(options: { pendingLimit?: number; messageLimit?: number }): Promise<MintedSubscription> {
    await service.close();
    service = await createPushService({ requestTimeout: 1000, ...options });
    service.on("refused", (refusal) => refused.push(refusal));
    subscription = service.subscribe({ applicationServerKey: vapid.publicKey });
    return subscription;
  }

  it("a subscription holding pendingLimit untaken messages answers 429 with Retry-After, keeps what it holds, and takes more once one is taken", async () => {
    await limited({ pendingLimit: 2 });
    expect((await post({ body: encrypted("one") })).status).toBe(201);
    expect((await post({ body: encrypted("two") })).status).toBe(201);
    const full = await post({ body: encrypted("three") });
    expect(full.status).toBe(429);
    expect(full.headers.get("retry-after")).toBe("60");
    expect(refused).toEqual([expect.objectContaining({ endpoint: subscription.endpoint, status: 429 })]);
    expect(service.pending().map((message) => message.plaintext)).toEqual(["one", "two"]);

    expect((await service.nextMessage()).plaintext).toBe("one");
    expect((await post({ body: encrypted("four") })).status).toBe(201);
    expect(service.pending().map((message) => message.plaintext)).toEqual(["two", "four"]);
  });

  it("at the limit, a message replacing a pending one by its Topic is still accepted; another subscription is not held back", async () => {
    await limited({ pendingLimit: 1 });
    expect((await post({ body: encrypted("first"), headers: { topic: "chat" } })).status).toBe(201);
    expect((await post({ body: encrypted("second"), headers: { topic: "chat" } })).status).toBe(201);
    const other = service.subscribe({ applicationServerKey: vapid.publicKey });
    expect((await post({ endpoint: other.endpoint, body: encrypted("elsewhere", other) })).status).toBe(201);
    expect(service.pending().map((message) => message.plaintext)).toEqual(["second", "elsewhere"]);
  });

  it("messages keeps the latest messageLimit accepted messages", async () => {
    await limited({ messageLimit: 2 });
    for (const text of ["a", "b", "c"]) {
      expect((await post({ body: encrypted(text) })).status).toBe(201);
      await service.nextMessage();
    }
    expect(service.messages.map((message) => message.plaintext)).toEqual(["b", "c"]);
  });

  it("by default a subscription holds 100 untaken messages", async () => {
    for (let count = 0; count < 100; count++) expect((await post({ body: encrypted(`m${count}`) })).status).toBe(201);
    expect((await post({ body: encrypted("one too many") })).status).toBe(429);
    expect(service.pending()).toHaveLength(100);
  });

  it("a limit that is not a positive integer is a RangeError", async () => {
    await expect(createPushService({ pendingLimit: 0 })).rejects.toThrow(RangeError);
    await expect(createPushService({ messageLimit: 1.5 })).rejects.toThrow(RangeError);
  });
});

describe("robustness", () => {
  it("answers garbage HTTP with 400 and keeps serving", async () => {
    const reply = await rawExchange("THIS IS NOT HTTP\r\n\r\n");
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await post()).status).toBe(201);
  });

  it("a request whose body never arrives times out (408) and the service keeps serving", async () => {
    const path = new URL(subscription.endpoint).pathname;
    const reply = await rawExchange(`POST ${path} HTTP/1.1\r\nHost: x\r\nTTL: 60\r\nContent-Length: 100\r\n\r\npartial`);
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect((await post()).status).toBe(201);
  });

  it("a GET on an endpoint is 405, anything else under the origin 404", async () => {
    expect((await fetch(subscription.endpoint)).status).toBe(405);
    expect((await fetch(`${service.origin}/`)).status).toBe(404);
  });

  it("close() rejects pending waits and stops listening", async () => {
    const waiting = service.nextMessage({ timeout: 5000 });
    await service.close();
    await expect(waiting).rejects.toThrow(/closed/);
    await expect(post()).rejects.toThrow();
  });
});

/** Writes `request` on a raw TCP connection and resolves with whatever comes back before it closes. */
function rawExchange(request: string): Promise<string> {
  const { hostname, port } = new URL(service.origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let reply = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(reply);
    }, 4000);
    socket.on("data", (chunk) => (reply += chunk.toString()));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(reply);
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
