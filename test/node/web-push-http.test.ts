import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPushService, generateVapidKeys, type MintedSubscription, type PushService, webPushProvider } from "../../src/node/index.js";
import { Deadlines } from "../../src/sim/deadlines.js";
import { webPushMessageFor } from "../helpers/provider-message.js";

const vapid = { subject: "mailto:ops@example.test", ...generateVapidKeys() };
const NODE = "5f2c0e1d9a8b7c6d5e4f3a2b1c0d9e8f";

/** A push endpoint on loopback that counts connections and lets a test decide each answer. */
async function endpointServer(answer: (request: IncomingMessage, response: ServerResponse, socketRequests: number) => void) {
  const sockets: Socket[] = [];
  const requestsOn = new Map<Socket, number>();
  let inFlight = 0;
  let mostInFlight = 0;
  const server: Server = createServer((request, response) => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    response.on("close", () => inFlight--);
    const count = (requestsOn.get(request.socket) ?? 0) + 1;
    requestsOn.set(request.socket, count);
    request.resume();
    request.on("end", () => answer(request, response, count));
  });
  server.on("connection", (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    connections: () => sockets.length,
    mostInFlight: () => mostInFlight,
    requests: () => [...requestsOn.values()].reduce((sum, count) => sum + count, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let service: PushService | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await service?.close();
  service = undefined;
});

/** A subscription the push-service simulator minted, its endpoint moved to `origin`. */
async function subscriptionAt(origin: string): Promise<MintedSubscription> {
  service = await createPushService();
  const minted = service.subscribe({ applicationServerKey: vapid.publicKey });
  return { ...minted, endpoint: minted.endpoint.replace(service.origin, origin) };
}

const created = (_request: IncomingMessage, response: ServerResponse) => response.writeHead(201, { location: "/message/1" }).end();

describe("the provider's own HTTP client", () => {
  it("sends one notification after another over one kept-alive connection", async () => {
    const endpoint = await endpointServer(created);
    closers.push(endpoint.close);
    const subscription = await subscriptionAt(endpoint.origin);
    const provider = webPushProvider({ vapid });
    for (let count = 1; count <= 5; count++) expect(await provider.send(webPushMessageFor(subscription, NODE, { messageCount: count }))).toEqual({ ok: true });
    expect(endpoint.requests()).toBe(5);
    expect(endpoint.connections()).toBe(1);
  });

  it("keeps at most maxSockets connections per origin; the rest wait their turn and are all delivered", async () => {
    const endpoint = await endpointServer((request, response) => setImmediate(() => created(request, response)));
    closers.push(endpoint.close);
    const subscription = await subscriptionAt(endpoint.origin);
    const provider = webPushProvider({ vapid, maxSockets: 3 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, count) => provider.send(webPushMessageFor(subscription, NODE, { messageCount: count }))));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(endpoint.requests()).toBe(20);
    expect(endpoint.connections()).toBeLessThanOrEqual(3);
    expect(endpoint.mostInFlight()).toBeLessThanOrEqual(3);
  });

  it("a push service that never answers: the request ends at the timeout, its connection is closed, and the result is transient", async () => {
    const endpoint = await endpointServer(() => {});
    closers.push(endpoint.close);
    const subscription = await subscriptionAt(endpoint.origin);
    const provider = webPushProvider({ vapid, timeout: 50, maxRetries: 1, initialRetryDelay: 1 });
    expect(await provider.send(webPushMessageFor(subscription, NODE, { messageCount: 1 }))).toEqual({ ok: false, reason: "transient" });
    // The retry got a new connection: the timed-out one was destroyed, not handed back to the pool.
    expect(endpoint.requests()).toBe(2);
    expect(endpoint.connections()).toBe(2);
  });

  it("the timeout also bounds the wait for a free connection", async () => {
    const endpoint = await endpointServer(() => {});
    closers.push(endpoint.close);
    const subscription = await subscriptionAt(endpoint.origin);
    const provider = webPushProvider({ vapid, timeout: 50, maxRetries: 0, maxSockets: 1 });
    const results = await Promise.all([1, 2, 3].map((count) => provider.send(webPushMessageFor(subscription, NODE, { messageCount: count }))));
    expect(results).toEqual([1, 2, 3].map(() => ({ ok: false, reason: "transient" })));
  });

  it("a kept-alive connection the service drops as it is reused is replaced at once, not counted as a failure", async () => {
    const endpoint = await endpointServer((request, response, socketRequests) => {
      if (socketRequests === 1) created(request, response);
      else request.socket.destroy();
    });
    closers.push(endpoint.close);
    const subscription = await subscriptionAt(endpoint.origin);
    const provider = webPushProvider({ vapid, maxRetries: 0 });
    expect(await provider.send(webPushMessageFor(subscription, NODE, { messageCount: 1 }))).toEqual({ ok: true });
    expect(await provider.send(webPushMessageFor(subscription, NODE, { messageCount: 2 }))).toEqual({ ok: true });
    expect(endpoint.requests()).toBe(3);
    expect(endpoint.connections()).toBe(2);
  });

  it("a refusal's body becomes the error's message", async () => {
    const endpoint = await endpointServer((_request, response) => response.writeHead(400, { "content-type": "text/plain" }).end(`  the TTL header is required${"!".repeat(500)}`));
    closers.push(endpoint.close);
    const subscription = await subscriptionAt(endpoint.origin);
    const provider = webPushProvider({ vapid });
    const errors: Error[] = [];
    provider.on("error", (error) => errors.push(error));
    expect(await provider.send(webPushMessageFor(subscription, NODE, { messageCount: 1 }))).toEqual({ ok: false, reason: "transient" });
    expect(errors[0]?.message).toMatch(/^the push service answered 400: the TTL header is required!+$/);
    expect(errors[0]?.message.length).toBeLessThan(260);
  });

  it("refuses a maxSockets that is not a positive integer", () => {
    for (const maxSockets of [0, -1, 1.5, Number.NaN]) expect(() => webPushProvider({ vapid, maxSockets })).toThrow(/maxSockets/);
  });
});

describe("Deadlines: one timer for waits of the same length", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("expires unsettled waits in the order they were added, never a settled one", () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines(100);
    const expired: string[] = [];
    const first = deadlines.add(() => expired.push("first"));
    vi.advanceTimersByTime(10);
    deadlines.add(() => expired.push("second"));
    vi.advanceTimersByTime(10);
    const third = deadlines.add(() => expired.push("third"));
    deadlines.add(() => expired.push("fourth"));
    first.settle();
    third.settle();
    vi.advanceTimersByTime(85);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(expired).toEqual(["second"]);
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual(["second", "fourth"]);
  });

  it("a wait added when another expires gets its full time", () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines(100);
    const expired: string[] = [];
    deadlines.add(() => {
      expired.push("first");
      deadlines.add(() => expired.push("added"));
    });
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(["first"]);
    vi.advanceTimersByTime(99);
    expect(expired).toEqual(["first"]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(["first", "added"]);
  });
});
