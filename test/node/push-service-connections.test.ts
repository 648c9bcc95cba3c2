/**
 * The push-service simulator holds a bounded number of sockets (W15): past `maxConnections` a new
 * connection is closed unread, and a connection that never sends a request is closed (408) after
 * `requestTimeout`. Real sockets on loopback; every wait is on a socket event.
 */

import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createPushService, type PushService } from "../../src/node/index.js";

let service: PushService | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await service?.close();
  service = undefined;
});

/** A request the service answers (404: no such endpoint) without closing the connection. */
const PROBE = "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n";

interface Outcome {
  /** The first reply bytes, or "" when the socket closed before any came. */
  reply: string;
  closed: boolean;
}

/**
 * Opens a connection, writes `request` (when given) and resolves at the first reply bytes or when
 * the socket closes, whichever comes first.
 */
function open(target: PushService, request: string | undefined): Promise<Outcome & { socket: Socket }> {
  const { hostname, port } = new URL(target.origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      if (request !== undefined) socket.write(request);
    });
    sockets.push(socket);
    let reply = "";
    // A socket the server closed may also report ECONNRESET or EPIPE; its close follows.
    socket.on("error", () => {});
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      resolve({ socket, reply, closed: false });
    });
    socket.on("close", () => resolve({ socket, reply, closed: true }));
  });
}

/** Resolves with everything the socket received once it closes. */
function untilClosed(target: PushService): Promise<string> {
  const { hostname, port } = new URL(target.origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    sockets.push(socket);
    let reply = "";
    socket.on("error", () => {});
    socket.on("data", (chunk) => (reply += chunk.toString()));
    socket.on("close", () => resolve(reply));
  });
}

describe("W15: connections the push service holds", () => {
  it("past maxConnections a new connection is closed without an answer", async () => {
    service = await createPushService({ maxConnections: 2 });
    // Answered, so the server has accepted both before the third connects.
    const first = await open(service, PROBE);
    const second = await open(service, PROBE);
    expect(first.reply).toMatch(/^HTTP\/1\.1 404/);
    expect(second.reply).toMatch(/^HTTP\/1\.1 404/);
    const third = await open(service, PROBE);
    expect(third).toMatchObject({ reply: "", closed: true });
    // The two under the cap are still served.
    const again = await new Promise<string>((resolve) => {
      first.socket.once("data", (chunk) => resolve(chunk.toString()));
      first.socket.write(PROBE);
    });
    expect(again).toMatch(/^HTTP\/1\.1 404/);
  });

  it("a closed connection makes room for a new one", async () => {
    service = await createPushService({ maxConnections: 1 });
    const first = await open(service, PROBE);
    expect(first.reply).toMatch(/^HTTP\/1\.1 404/);
    expect(await open(service, PROBE)).toMatchObject({ reply: "", closed: true });
    await new Promise<void>((resolve) => {
      first.socket.once("close", () => resolve());
      first.socket.destroy();
    });
    // The server counts the socket out on its own close event, which can come a moment after
    // ours: a new connection is answered at the latest a few attempts later.
    let answered: Outcome | undefined;
    for (let attempt = 0; attempt < 50 && answered === undefined; attempt++) {
      const outcome = await open(service, PROBE);
      if (outcome.reply !== "") answered = outcome;
    }
    expect(answered?.reply).toMatch(/^HTTP\/1\.1 404/);
  });

  it("defaults to 1,000 connections", async () => {
    service = await createPushService();
    const held = await Promise.all(Array.from({ length: 1000 }, () => open(service as PushService, PROBE)));
    expect(held.filter((outcome) => outcome.reply.startsWith("HTTP/1.1 404"))).toHaveLength(1000);
    expect(await open(service, PROBE)).toMatchObject({ reply: "", closed: true });
  });

  it("a connection that never sends a request is closed with 408 after requestTimeout", async () => {
    service = await createPushService({ requestTimeout: 200 });
    expect(await untilClosed(service)).toMatch(/^HTTP\/1\.1 408/);
  });

  it("a limit that is not a positive integer is a RangeError", async () => {
    await expect(createPushService({ maxConnections: 0 })).rejects.toThrow(RangeError);
    await expect(createPushService({ maxConnections: 1.5 })).rejects.toThrow(RangeError);
    for (const requestTimeout of [0, -1, 1.5, Number.POSITIVE_INFINITY]) await expect(createPushService({ requestTimeout })).rejects.toThrow(/requestTimeout/);
  });
});
