import { performance } from "node:perf_hooks";
import { xml } from "@xmpp/client";
import { buildEnable } from "xmpp-push";
import { type AppServer, createAppServer, createMucService, createXmppServer, type Delivery } from "xmpp-push/sim";
import { memory, subscribeUsers, usernames } from "./subscribe-users.js";

const DOMAIN = "bench.test";
const MUC = `conference.${DOMAIN}`;
const ROOM = `fanout@${MUC}`;
const APP_SERVER = `push.${DOMAIN}`;
const NS_MUC = "http://jabber.org/protocol/muc";
/** Members set per muc#admin request. */
const ADMIN_BATCH = 100;
/** Give up on one message's fan-out after this long. */
const FANOUT_TIMEOUT = 60_000;

type Path = "offline-delivery" | "room-enable";

/**
 * `--muc-fanout 10,100,1000`: one room of N members with reserved nicks, all offline with push,
 * and `messages` groupchat messages from its owner, one after another. Each message is timed from
 * send to its N-th delivery at the app server's provider. Two paths, each on a fresh server:
 * offline delivery (the MUC sends each absent member a copy at the bare JID, the member's server
 * pushes it through the account's registration, M4) and enable at the room (each member enabled
 * push at the room, which publishes to the app server itself, M5).
 */
export async function runMucFanout(sizes: readonly number[], messages: number): Promise<void> {
  console.log(`MUC fan-out: one groupchat message to N offline members with push, ${messages} messages one after another per room; reference preset, mod-push app server`);
  for (const size of sizes) {
    for (const path of ["offline-delivery", "room-enable"] as const) await fanout(size, path, messages);
  }
}

async function fanout(size: number, path: Path, messages: number): Promise<void> {
  const members = usernames("member", size);
  const server = createXmppServer({ domain: DOMAIN, users: Object.fromEntries([...members, "alice"].map((name) => [name, "pw"])), push: { includeBody: true } });
  const appServer = createAppServer({ jid: APP_SERVER, mucPublishers: [MUC] });
  // The owner is an affiliation too; pushBody true so the room's publish carries the body that names the message.
  const muc = createMucService({ jid: MUC, offlineDelivery: path === "offline-delivery", roomPush: path === "room-enable", pushBody: true, maxAffiliations: size + 1 });
  server.attach(appServer);
  server.attach(muc);

  const alice = server.client({ username: "alice", password: "pw", resource: "laptop" });
  await alice.start();
  await alice.send(xml("presence"));
  const joined = new Promise<void>((resolve) => alice.once("stanza", () => resolve()));
  await alice.send(xml("presence", { to: `${ROOM}/alice` }, xml("x", { xmlns: NS_MUC })));
  await joined;
  for (let first = 0; first < size; first += ADMIN_BATCH) {
    const items = members.slice(first, first + ADMIN_BATCH).map((name) => xml("item", { affiliation: "member", jid: `${name}@${DOMAIN}`, nick: name }));
    await alice.iqCaller.request(xml("iq", { type: "set", to: ROOM }, xml("query", { xmlns: `${NS_MUC}#admin` }, ...items)));
  }

  const device = (name: string) => ({ appServer: APP_SERVER, provider: "fcm", token: `token-${name}` });
  const { seconds: setupSeconds } = await subscribeUsers(server, members, async (push, name, xmpp) => {
    if (path === "offline-delivery") return push.subscribe(device(name));
    const registration = await push.register(device(name));
    const enable = buildEnable({ jid: registration.jid, node: registration.node, ...(registration.publishOptions ? { publishOptions: registration.publishOptions } : {}) });
    await xmpp.iqCaller.request(xml("iq", { type: "set", to: ROOM }, enable));
    return registration;
  });

  const rows: string[] = [];
  for (let message = 0; message < messages; message++) {
    const heapBefore = process.memoryUsage().heapUsed;
    const cpuBefore = process.cpuUsage();
    const body = `fan-out ${message}`;
    const { first, last, duplicates } = await oneMessage(appServer, size, body, () => alice.send(xml("message", { to: ROOM, type: "groupchat" }, xml("body", {}, body))));
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMicros = (cpu.user + cpu.system) / size;
    const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    rows.push(
      `  message ${message + 1}: first delivery ${first.toFixed(1)} ms, N-th ${last.toFixed(1)} ms → ${Math.round(size / (last / 1000))} deliveries/s; ${cpuMicros.toFixed(0)} µs CPU per delivery; duplicates ${duplicates}; heap ${heapGrowth >= 0 ? "+" : ""}${heapGrowth.toFixed(1)} MiB`,
    );
  }
  console.log(`N = ${size}, ${path} (members subscribed in ${setupSeconds.toFixed(1)} s; ${memory()}):`);
  for (const row of rows) console.log(row);
  await alice.stop();
  await server.close();
}

/** Sends, then waits for `size` deliveries of `body`; times from the send. */
async function oneMessage(appServer: AppServer, size: number, body: string, send: () => Promise<unknown>): Promise<{ first: number; last: number; duplicates: number }> {
  const owners = new Set<string>();
  let duplicates = 0;
  let first = Number.NaN;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onDelivered: (delivery: Delivery) => void = () => {};
  const start = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${owners.size}/${size} members got a push after ${FANOUT_TIMEOUT} ms`)), FANOUT_TIMEOUT);
      onDelivered = (delivery) => {
        appServer.deliveries.splice(0);
        if (delivery.summary.lastMessageBody !== body) return;
        if (owners.has(delivery.owner)) duplicates++;
        owners.add(delivery.owner);
        if (owners.size === 1) first = performance.now() - start;
        if (owners.size === size) resolve();
      };
      appServer.on("delivered", onDelivered);
      send().catch(reject);
    });
    return { first, last: performance.now() - start, duplicates };
  } finally {
    clearTimeout(timer);
    appServer.off("delivered", onDelivered);
  }
}
