import { describe, expect, it } from "vitest";
import type { Element } from "../../../src/protocol/index.js";
import { type DeliverySource, windowedRun } from "../../../bench/windowed-run.js";

/** A sender whose every message is delivered `copies` times, with `bodyOf` its body as the delivery's. */
function echo(copies: number, bodyOf = (body: string | undefined) => body): { sender: { send(stanza: Element): Promise<void> }; deliveries: DeliverySource } {
  let listener: ((body: string | undefined) => void) | undefined;
  return {
    sender: {
      send(stanza) {
        const body = bodyOf(stanza.getChildText("body") ?? undefined);
        queueMicrotask(() => {
          for (let copy = 0; copy < copies; copy++) listener?.(body);
        });
        return Promise.resolve();
      },
    },
    deliveries: (next) => {
      listener = next;
      return () => (listener = undefined);
    },
  };
}

describe("bench windowedRun counts each message once", () => {
  it("a second push for the same message is a duplicate, not a delivery", async () => {
    const { sender, deliveries } = echo(2);
    const run = await windowedRun({ sender, deliveries, recipient: () => "bob@example.test", messages: 30, window: 4, timeout: 3000 });
    expect([run.latencies.length, run.duplicates]).toEqual([30, 30]);
  });

  it("deliveries that name no message sent do not advance the run: it times out saying so", async () => {
    const { sender, deliveries } = echo(1, () => "New Message!");
    await expect(windowedRun({ sender, deliveries, recipient: () => "bob@example.test", messages: 3, window: 3, timeout: 100 })).rejects.toThrow(
      "0/3 messages delivered after 100 ms (3 deliveries without a sequence number as body)",
    );
  });

  it("progress hears each first delivery's running count, duplicates not counted", async () => {
    const { sender, deliveries } = echo(2);
    const counts: number[] = [];
    await windowedRun({ sender, deliveries, recipient: () => "bob@example.test", messages: 5, window: 2, timeout: 3000, progress: (delivered) => counts.push(delivered) });
    expect(counts).toEqual([1, 2, 3, 4, 5]);
  });
});
