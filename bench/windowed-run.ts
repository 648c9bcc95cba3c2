import { performance } from "node:perf_hooks";
import { xml } from "@xmpp/client";
import type { AppServer } from "../src/sim/index.js";

export interface WindowedRunOptions {
  /** Anything that sends stanzas: a real @xmpp/client or the simulator's. */
  sender: { send(stanza: ReturnType<typeof xml>): Promise<unknown> };
  appServer: AppServer;
  /** The bare JID message `sequence` goes to. */
  recipient: (sequence: number) => string;
  messages: number;
  /** Messages in flight at once. */
  window: number;
  /** Give up after this many ms (default: never). */
  timeout?: number;
}

export interface WindowedRunResult {
  seconds: number;
  /** Send → provider delivery, ms, sorted. */
  latencies: number[];
  percentile(p: number): number;
}

/**
 * Sends `messages` chat messages, `window` in flight, each next one when a delivery arrives. The
 * body carries the sequence number, so the server must include bodies in its pushes
 * (`includeBody: true`) for a delivery to be matched to its send time.
 */
export async function windowedRun(options: WindowedRunOptions): Promise<WindowedRunResult> {
  const { sender, appServer, recipient, messages, window } = options;
  const sentAt = new Float64Array(messages);
  const latencies: number[] = [];
  let sent = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const sendNext = (): void => {
    if (sent >= messages) return;
    const sequence = sent++;
    sentAt[sequence] = performance.now();
    void sender.send(xml("message", { to: recipient(sequence), type: "chat" }, xml("body", {}, String(sequence))));
  };
  const onDelivered = (delivery: { summary: { lastMessageBody?: string } }): void => {
    latencies.push(performance.now() - (sentAt[Number(delivery.summary.lastMessageBody)] ?? Number.NaN));
    // The recording provider keeps every delivery; a run only needs the event.
    appServer.deliveries.splice(0);
    if (latencies.length === messages) finish();
    else sendNext();
  };
  appServer.on("delivered", onDelivered);

  const start = performance.now();
  for (let index = 0; index < Math.min(window, messages); index++) sendNext();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      finished,
      new Promise<never>((_, reject) => {
        if (options.timeout !== undefined) {
          timer = setTimeout(() => reject(new Error(`${latencies.length}/${messages} deliveries after ${options.timeout} ms`)), options.timeout);
        }
      }),
    ]);
  } finally {
    clearTimeout(timer);
    appServer.off("delivered", onDelivered);
  }
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    latencies,
    percentile: (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN,
  };
}
