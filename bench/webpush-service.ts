/**
 * The push side of bench/webpush.ts, in its own process so that its work does not count against
 * the provider's CPU time: the push-service simulator (VAPID check and decryption of every push),
 * and beside it a sink that answers every POST 201 unread, to show the provider's cost when the
 * service is not the slower side. Speaks JSON over the fork IPC channel: `{ subscribe,
 * applicationServerKey }` → `{ origin, sinkOrigin, subscriptions }`; `{ report }` → `{ accepted,
 * refused, sunk }`; `{ close }` → exits.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createPushService, type MintedSubscription } from "../src/node/index.js";

export type ServiceRequest = { subscribe: number; applicationServerKey: string } | { report: true } | { close: true };
export type SubscribeReply = { origin: string; sinkOrigin: string; subscriptions: MintedSubscription[] };
export type ReportReply = { accepted: number; refused: number; sunk: number };

const service = await createPushService();
let accepted = 0;
let refused = 0;
// Nothing takes the messages; the Topic (one per registration) keeps at most one pending per subscription.
service.on("message", () => accepted++);
service.on("refused", () => refused++);

let sunk = 0;
const sink = createServer({ keepAliveTimeout: 5000 }, (request, response) => {
  request.resume();
  request.on("end", () => {
    sunk++;
    response.writeHead(201, { location: "/message/sunk" }).end();
  });
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const sinkOrigin = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const reply = (message: SubscribeReply | ReportReply | { ready: true }) => process.send?.(message);

process.on("message", (request: ServiceRequest) => {
  if ("subscribe" in request) {
    const subscriptions = Array.from({ length: request.subscribe }, () => service.subscribe({ applicationServerKey: request.applicationServerKey }));
    reply({ origin: service.origin, sinkOrigin, subscriptions });
  } else if ("report" in request) {
    reply({ accepted, refused, sunk });
  } else {
    sink.closeAllConnections();
    sink.close();
    void service.close().then(() => process.exit(0));
  }
});
reply({ ready: true });
