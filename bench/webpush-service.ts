/**
 * The push-service simulator for bench/webpush.ts, in its own process so that its VAPID checks
 * and decryption do not count against the provider's CPU time. Speaks JSON over the fork IPC
 * channel: `{ subscribe, applicationServerKey }` → `{ origin, subscriptions }`; `{ report }` →
 * `{ accepted, refused }`; `{ close }` → exits.
 */
import { createPushService, type MintedSubscription } from "../src/node/index.js";

export type ServiceRequest = { subscribe: number; applicationServerKey: string } | { report: true } | { close: true };
export type ServiceReply = { origin: string; subscriptions: MintedSubscription[] } | { accepted: number; refused: number };

const service = await createPushService();
let accepted = 0;
let refused = 0;
// Nothing takes the messages; the Topic (one per registration) keeps at most one pending per subscription.
service.on("message", () => accepted++);
service.on("refused", () => refused++);

const reply = (message: ServiceReply) => process.send?.(message);

process.on("message", (request: ServiceRequest) => {
  if ("subscribe" in request) {
    const subscriptions = Array.from({ length: request.subscribe }, () => service.subscribe({ applicationServerKey: request.applicationServerKey }));
    reply({ origin: service.origin, subscriptions });
  } else if ("report" in request) {
    reply({ accepted, refused });
  } else {
    void service.close().then(() => process.exit(0));
  }
});
process.send?.({ ready: true });
