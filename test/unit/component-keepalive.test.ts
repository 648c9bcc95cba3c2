import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KeepAlive } from "../../src/node/component/keepalive.js";
import type { ComponentLinkError } from "../../src/node/component/errors.js";
import { type Element, NS, xml } from "../../src/protocol/index.js";

function watch() {
  const sent: Element[] = [];
  const lost: ComponentLinkError[] = [];
  const keepAlive = new KeepAlive({ from: "push.example.test", to: "example.test", idle: 100, timeout: 50, send: (ping) => sent.push(ping), lost: (reason) => lost.push(reason) });
  return { keepAlive, sent, lost };
}

const answer = (ping: Element, type = "result"): Element => xml("iq", { type, id: ping.attrs.id, from: "example.test", to: "push.example.test" });

/** The keepalive's timers on a fake clock: what goes out when, and what ends the link. */
describe("KeepAlive (component link)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("pings the server after `idle` ms of silence, and reports the link lost `timeout` ms later", () => {
    const { sent, lost } = watch();
    vi.advanceTimersByTime(99);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.attrs).toMatchObject({ type: "get", from: "push.example.test", to: "example.test" });
    expect(sent[0]!.getChild("ping", NS.ping)).toBeDefined();
    vi.advanceTimersByTime(49);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lost.map((reason) => reason.code)).toEqual(["keepalive-timeout"]);
    vi.advanceTimersByTime(1_000);
    expect(sent).toHaveLength(1);
    expect(lost).toHaveLength(1);
  });

  it("anything heard restarts the idle wait, and cancels a pending ping's deadline", () => {
    const { keepAlive, sent, lost } = watch();
    for (let step = 0; step < 10; step++) {
      vi.advanceTimersByTime(90);
      keepAlive.heard();
    }
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(40);
    keepAlive.heard();
    vi.advanceTimersByTime(99);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(2);
    keepAlive.stop();
  });

  it("claims the answers to its own pings only, result or error", () => {
    const { keepAlive, sent } = watch();
    vi.advanceTimersByTime(100);
    const ping = sent[0]!;
    expect(keepAlive.claims(answer(ping))).toBe(true);
    expect(keepAlive.claims(answer(ping, "error"))).toBe(true);
    expect(keepAlive.claims(xml("iq", { type: "result", id: "r1" }))).toBe(false);
    expect(keepAlive.claims(xml("iq", { type: "get", id: ping.attrs.id }))).toBe(false);
    expect(keepAlive.claims(xml("message", { id: ping.attrs.id }))).toBe(false);
    keepAlive.stop();
  });

  it("stop() ends both timers", () => {
    const { keepAlive, sent, lost } = watch();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    keepAlive.stop();
    keepAlive.heard();
    vi.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(1);
    expect(lost).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

const refTimers = (): number => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

describe("KeepAlive timers on the real clock", () => {
  it("neither the idle wait nor the ping's deadline keeps the process alive", async () => {
    const before = refTimers();
    let pinged = (): void => {};
    const ping = new Promise<void>((resolve) => (pinged = resolve));
    const keepAlive = new KeepAlive({ from: "push.example.test", to: "example.test", idle: 5, timeout: 60_000, send: () => pinged(), lost: () => undefined });
    expect(refTimers()).toBe(before);
    keepAlive.heard();
    expect(refTimers()).toBe(before);
    await ping;
    expect(refTimers()).toBe(before);
    keepAlive.stop();
  });
});
