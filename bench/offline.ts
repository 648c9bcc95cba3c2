/**
 * The reference server's offline store: heap per stored message against its serialized size,
 * and the delivery of the whole backlog at the next login, at two depths in one run (the rate at
 * the larger over the rate at the smaller: 1 is flat), with the peak heap growth while it runs.
 * Every message goes through real @xmpp/client instances over the in-memory transport.
 * Run: npm run bench:offline  [-- --small 10000 --large 100000]
 */
import { cpus } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { xml } from "@xmpp/client";
import { createXmppServer, type XmppServer } from "xmpp-push/sim";
import { numberArg } from "./args.js";

const SMALL = numberArg("small", 10_000);
const LARGE = numberArg("large", 100_000);
const DOMAIN = "bench.test";
/** Sends in flight before the sender waits for the server to have stored them. */
const SEND_WINDOW = 500;
const TIMEOUT = 600_000;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

interface DepthResult {
  messages: number;
  heapPerMessage: number;
  serializedPerMessage: number;
  deliverySeconds: number;
  cpuMicrosPerMessage: number;
  peakGrowth: number;
  received: number;
  inOrder: boolean;
}

console.log(`xmpp-push offline-store benchmark — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), one process`);
const small = await runDepth(SMALL);
const large = await runDepth(LARGE);
for (const result of [small, large]) {
  console.log(
    `${String(result.messages).padStart(7)} stored: heap ${result.heapPerMessage.toFixed(0)} B/message vs ${result.serializedPerMessage.toFixed(0)} B serialized (×${(result.heapPerMessage / result.serializedPerMessage).toFixed(2)}); ` +
      `delivered ${result.received}${result.inOrder ? " in order" : " OUT OF ORDER"} in ${result.deliverySeconds.toFixed(2)} s ` +
      `(${(result.messages / result.deliverySeconds).toFixed(0)} messages/s, ${result.cpuMicrosPerMessage.toFixed(1)} µs CPU each), peak heap +${(result.peakGrowth / 1024 / 1024).toFixed(1)} MiB`,
  );
}
const rate = (result: DepthResult): number => result.messages / result.deliverySeconds;
console.log(`delivery rate ${LARGE} / ${SMALL}: ×${(rate(large) / rate(small)).toFixed(2)} (wall), ×${(small.cpuMicrosPerMessage / large.cpuMicrosPerMessage).toFixed(2)} (CPU per message); 1 is flat`);

async function runDepth(count: number): Promise<DepthResult> {
  const server = createXmppServer({ domain: DOMAIN, users: { alice: "pw", bob: "pw" }, offline: { itemLimit: count } });
  let stored = 0;
  server.on("stored", () => void stored++);
  const alice = server.client({ username: "alice", password: "pw", resource: "bench" });
  await alice.start();

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let sent = 0; sent < count; ) {
    const end = Math.min(count, sent + SEND_WINDOW);
    for (; sent < end; sent++) void alice.send(xml("message", { to: `bob@${DOMAIN}`, type: "chat", id: `m${sent}` }, xml("body", {}, `message number ${sent}`)));
    await waitFor(() => stored >= end, `${end} stored messages`);
  }
  await alice.stop();
  gc();
  const heapStored = process.memoryUsage().heapUsed;
  const heapPerMessage = (heapStored - heapBefore) / count;
  const serializedPerMessage = serializedSize(server, Math.min(count, 1000));
  gc();

  const bob = server.client({ username: "bob", password: "pw", resource: "phone" });
  await bob.start();
  gc();
  const heapLoggedIn = process.memoryUsage().heapUsed;
  let peak = heapLoggedIn;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  let received = 0;
  let inOrder = true;
  bob.on("stanza", (stanza) => {
    if (stanza.name !== "message") return;
    if (stanza.getChildText("body") !== `message number ${received}`) inOrder = false;
    received++;
    if (received % 1000 === 0) sample();
  });
  const sampler = setInterval(sample, 5);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await bob.send(xml("presence"));
  await waitFor(() => received >= count, `${count} delivered messages`);
  const deliverySeconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  sample();
  await bob.stop();
  await server.close();
  gc();
  return { messages: count, heapPerMessage, serializedPerMessage, deliverySeconds, cpuMicrosPerMessage: (cpu.user + cpu.system) / count, peakGrowth: peak - heapLoggedIn, received, inOrder };
}

/** The average UTF-8 size of the first stored messages as they would go out (with their delay stamp). */
function serializedSize(server: XmppServer, sample: number): number {
  const messages = server.offlineMessages("bob").slice(0, sample);
  let bytes = 0;
  for (const message of messages) bytes += Buffer.byteLength(message.toString());
  return bytes / messages.length;
}

async function waitFor(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

