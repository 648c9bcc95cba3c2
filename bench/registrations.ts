/**
 * The app server simulator's registrations: what one register, list and unregister command
 * costs at two sizes of the book (the ratio: 1 is flat), and the heap one registration takes.
 * Each request is an IQ parsed from its text as off a socket, handed to the app server; the
 * parse is done before the clock starts. Owners hold two devices each.
 * Run: npm run bench:registrations  [-- --small 1000 --large 100000 --ops 1000]
 */
import { cpus } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { type Element, Parser } from "@xmpp/xml";
import { type AppServer, createAppServer } from "xmpp-push/sim";
import { buildCommandRequest, buildIq, formFromValues } from "../src/protocol/index.js";
import { numberArg } from "./args.js";

const SMALL = numberArg("small", 1_000);
const LARGE = numberArg("large", 100_000);
const OPS = numberArg("ops", 1_000);
const APP = "push.bench.test";
const DEVICES_PER_OWNER = 2;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const OPERATIONS = ["register", "list", "unregister"] as const;
type Operation = (typeof OPERATIONS)[number];

console.log(`xmpp-push app-server registrations benchmark — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), one process`);
const ROUNDS = 5;
// A warm-up book first: the code and type feedback the first requests compile would count as the small book's heap.
await rounds(await populate(SMALL));
const small = await populate(SMALL);
const large = await populate(LARGE);
const costs = new Map<number, Record<Operation, number[]>>([
  [SMALL, { register: [], list: [], unregister: [] }],
  [LARGE, { register: [], list: [], unregister: [] }],
]);
// Rounds alternate between the sizes, so that the machine's drift hits both alike.
for (let round = 0; round < ROUNDS; round++) {
  for (const book of [small, large]) {
    const result = await rounds(book);
    for (const name of OPERATIONS) costs.get(book.count)![name].push(result[name]);
  }
}
for (const book of [small, large]) {
  const cost = costs.get(book.count)!;
  // At the small size the heap's own noise (a few hundred kB) is as large as the book: only the large one says what a registration takes.
  const heap = book === large ? `; heap ${book.heapPerRegistration.toFixed(0)} B/registration` : "";
  console.log(`${String(book.count).padStart(7)} registrations: ${OPERATIONS.map((name) => `${name} ${spread(cost[name])} µs`).join(", ")}${heap}`);
}
const ratio = (name: Operation, of: (values: number[]) => number): string => `${name} ×${(of(costs.get(LARGE)![name]) / of(costs.get(SMALL)![name])).toFixed(2)}`;
const minimum = (values: number[]): number => Math.min(...values);
console.log(`cost at ${LARGE} / at ${SMALL}, min: ${OPERATIONS.map((name) => ratio(name, minimum)).join(", ")}; median: ${OPERATIONS.map((name) => ratio(name, median)).join(", ")}; 1 is flat (min / median / max of ${ROUNDS} rounds above)`);

interface Book {
  app: AppServer;
  count: number;
  owners: number;
  heapPerRegistration: number;
}

async function populate(count: number): Promise<Book> {
  const app = createAppServer({ jid: APP });
  app.connect(() => undefined);
  const owners = Math.ceil(count / DEVICES_PER_OWNER);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  // Each request is made just before it is handled: what stays on the heap is what the app server keeps.
  for (let index = 0; index < count; index++) await expectResult(app, registerIq(Math.floor(index / DEVICES_PER_OWNER), `device${index % DEVICES_PER_OWNER}`));
  gc();
  const heapPerRegistration = (process.memoryUsage().heapUsed - heapBefore) / count;
  if (app.registrations().length !== count) throw new Error(`expected ${count} registrations, found ${app.registrations().length}`);
  return { app, count, owners, heapPerRegistration };
}

/** One round: owners register a third device, list, and unregister it; the book stays at its size. */
async function rounds({ app, count, owners }: Book): Promise<Record<Operation, number>> {
  const picked = Array.from({ length: OPS }, (_, index) => (index * 7919) % owners);
  const register = await timed(app, picked.map((owner) => registerIq(owner, "extra")));
  const list = await timed(app, picked.map((owner) => commandIq(owner, "list-push-registrations")));
  const unregister = await timed(app, picked.map((owner) => commandIq(owner, "unregister-push", { "device-id": "extra" })));
  if (app.registrations().length !== count) throw new Error(`expected ${count} registrations after the round, found ${app.registrations().length}`);
  return { register, list, unregister };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[0]!.toFixed(1)} / ${median(values).toFixed(1)} / ${sorted.at(-1)!.toFixed(1)}`;
}

/** µs per request, the requests answered one after another. */
async function timed(app: AppServer, requests: Element[]): Promise<number> {
  const start = performance.now();
  for (const iq of requests) await expectResult(app, iq);
  return ((performance.now() - start) * 1000) / requests.length;
}

async function expectResult(app: AppServer, iq: Element): Promise<void> {
  const reply = await app.handleIq(iq);
  if (reply.attrs.type !== "result") throw new Error(`request failed: ${reply.toString()}`);
}

function registerIq(owner: number, resource: string): Element {
  return commandIq(owner, "register-push-fcm", { token: `fcm-token-${owner}-${resource}-${"x".repeat(100)}`, "device-id": resource, "device-name": `Phone ${owner}` }, resource);
}

function commandIq(owner: number, node: string, values?: Record<string, string>, resource = "device0"): Element {
  const form = values === undefined ? undefined : formFromValues("submit", undefined, values);
  const iq = buildIq({ type: "set", from: `user${owner}@bench.test/${resource}`, to: APP, id: `r${owner}` }, buildCommandRequest({ node, ...(form ? { form } : {}) }));
  return parsed(iq.toString());
}

/** Parses one stanza the way a connection's parser does, so its strings are what the app server really gets. */
function parsed(source: string): Element {
  const parser = new Parser();
  let element: Element | undefined;
  parser.on("element", (child: Element) => void (element = child));
  parser.write("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
  parser.write(source);
  if (!element) throw new Error(`not one element: ${source}`);
  return element;
}
