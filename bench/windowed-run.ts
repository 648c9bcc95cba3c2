import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { xml } from "@xmpp/client";

/**
 * Where a setup's notifications land: calls `listener` with each delivered notification's
 * `lastMessageBody`, and returns how to stop listening.
 */
export type DeliverySource = (listener: (body: string | undefined) => void) => () => void;

export interface WindowedRunOptions {
  /** Anything that sends stanzas: a real @xmpp/client or the simulator's. */
  sender: { send(stanza: ReturnType<typeof xml>): Promise<unknown> };
  deliveries: DeliverySource;
  /** The bare JID message `sequence` goes to. */
  recipient: (sequence: number) => string;
  messages: number;
  /** Messages in flight at once. */
  window: number;
  /** Give up after this many ms (default: never). */
  timeout?: number;
  /** Called with the number of messages delivered so far, at each message's first delivery (e.g. to take a reading halfway). */
  progress?: (delivered: number) => void;
}

export interface WindowedRunResult {
  seconds: number;
  /** Send → first delivery, ms, sorted: one per message. */
  latencies: number[];
  /** Deliveries for a message that had already been delivered (a push must come once per message and registration). */
  duplicates: number;
  percentile(p: number): number;
}

/** How long to keep counting duplicates after the last message's first delivery (not timed). */
const SETTLE_MS = 50;

/**
 * Sends `messages` chat messages, `window` in flight, each next one when a message is first
 * delivered. The body carries the sequence number, so the server must include bodies in its
 * pushes (`includeBody: true`) for a delivery to be matched to its message.
 */
export async function windowedRun(options: WindowedRunOptions): Promise<WindowedRunResult> {
  const { sender, recipient, messages, window } = options;
  const sentAt = new Float64Array(messages);
  const delivered = new Uint8Array(messages);
  const latencies: number[] = [];
  let sent = 0;
  let duplicates = 0;
  let unmatched = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const sendNext = (): void => {
    if (sent >= messages) return;
    const sequence = sent++;
    sentAt[sequence] = performance.now();
    void sender.send(xml("message", { to: recipient(sequence), type: "chat" }, xml("body", {}, String(sequence))));
  };
  const onDelivered = (body: string | undefined): void => {
    const sequence = Number(body);
    if (!Number.isInteger(sequence) || sequence < 0 || sequence >= sent) {
      unmatched++;
      return;
    }
    if (delivered[sequence]) {
      duplicates++;
      return;
    }
    delivered[sequence] = 1;
    latencies.push(performance.now() - sentAt[sequence]!);
    options.progress?.(latencies.length);
    if (latencies.length === messages) finish();
    else sendNext();
  };
  const stop = options.deliveries(onDelivered);

  const start = performance.now();
  for (let index = 0; index < Math.min(window, messages); index++) sendNext();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seconds: number;
  try {
    await Promise.race([
      finished,
      new Promise<never>((_, reject) => {
        if (options.timeout !== undefined) {
          const failure = (): Error => new Error(`${latencies.length}/${messages} messages delivered after ${options.timeout} ms (${unmatched} deliveries without a sequence number as body)`);
          timer = setTimeout(() => reject(failure()), options.timeout);
        }
      }),
    ]);
    seconds = (performance.now() - start) / 1000;
    await sleep(SETTLE_MS);
  } finally {
    clearTimeout(timer);
    stop();
  }
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    latencies,
    duplicates,
    percentile: (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN,
  };
}

type DeliveredListener = (delivery: { summary: { lastMessageBody?: string } }) => void;

/** A simulator with recording providers that raises `delivered`: the app server, the pubsub service. */
export interface RecordingService {
  readonly deliveries: unknown[];
  on(name: "delivered", listener: DeliveredListener): unknown;
  off(name: "delivered", listener: DeliveredListener): unknown;
}

/** The service's deliveries; its recording providers keep every one, a run only needs the event. */
export function recordedDeliveries(service: RecordingService): DeliverySource {
  return (listener) => {
    const onDelivered: DeliveredListener = (delivery) => {
      service.deliveries.splice(0);
      listener(delivery.summary.lastMessageBody);
    };
    service.on("delivered", onDelivered);
    return () => service.off("delivered", onDelivered);
  };
}
