import { performance } from "node:perf_hooks";
import { type Client, client as createClient } from "@xmpp/client";
import { connectComponent } from "../src/node/index.js";
import { type AppServer, createXmppServer } from "../src/sim/index.js";
import { asClient } from "../test/helpers/real-client.js";
import type { ServerFleet } from "../test/interop/runner/fleet.js";
import { DOMAIN, PASSWORD, PUSH_JID, type RealServerName } from "../test/interop/shared.js";
import { plainLogin } from "../test/interop/support/login.js";
import { flexibleOfflineCount, prosodyOfflineCount } from "./offline-depth.js";
import { groupProcesses, ownCpuMs, processCpuMs, processRssMiB } from "./process-usage.js";

/** Users whose stores are counted at once. */
const BATCH = 10;

/** One server the bench drives: the reference in this process, or a real one the fleet runs. */
export interface Target {
  name: string;
  coldStartMs: number;
  /** Whether `serverCpu` reads this whole process (the reference server shares it with the sender and the app server). */
  cpuIsThisProcess: boolean;
  client(username: string): Client;
  /** Puts the app server behind PUSH_JID; resolves with how to take it away. */
  link(appServer: AppServer): Promise<() => Promise<void>>;
  /** A synchronous reader of the server's CPU so far (ms), set up before a run so that reading it inside the run is cheap. */
  serverCpu(): Promise<() => number>;
  /** Messages each of `usernames` has waiting in the server's offline store. */
  offlineDepth(usernames: readonly string[]): Promise<number[]>;
  /** The server's resident memory now, MiB (the reference server's: this whole process's). */
  memoryMiB(): Promise<number>;
  /** A fresh server process (the reference: a fresh server object) on the same accounts and data. */
  restart(): Promise<void>;
}

export function referenceTarget(usernames: readonly string[]): Target {
  const create = () =>
    createXmppServer({
      domain: DOMAIN,
      users: Object.fromEntries(usernames.map((username) => [username, PASSWORD])),
      push: { includeBody: true },
    });
  const begin = performance.now();
  let server = create();
  const coldStartMs = performance.now() - begin;
  return {
    name: "reference",
    coldStartMs,
    cpuIsThisProcess: true,
    client: (username) => asClient(server.client({ username, password: PASSWORD, resource: "bench" })),
    async link(appServer) {
      const detach = server.attach(appServer);
      return async () => detach();
    },
    serverCpu: async () => ownCpuMs,
    offlineDepth: async (names) => names.map((username) => server.offlineMessages(username).length),
    memoryMiB: async () => process.memoryUsage().rss / 1024 / 1024,
    async restart() {
      server = create();
    },
  };
}

export function realTarget(fleet: ServerFleet, name: RealServerName, label: string): Target {
  const server = fleet.get(name);
  const { info } = server;
  const processes = async (): Promise<number[]> => {
    if (server.pid === undefined) throw new Error(`${label} is not running`);
    return groupProcesses(server.pid);
  };
  const client = (username: string): Client => createClient({ service: info.websocket, domain: DOMAIN, resource: "bench", credentials: plainLogin(username) });
  return {
    name: label,
    coldStartMs: fleet.coldStart.get(name) ?? Number.NaN,
    cpuIsThisProcess: false,
    client,
    async link(appServer) {
      const link = connectComponent(appServer, { service: info.component, domain: PUSH_JID, password: info.componentSecret, connectTimeout: 10_000 });
      link.on("error", (error) => console.error(`${label} link: ${error.message}`));
      await link.ready;
      return () => link.close();
    },
    async serverCpu() {
      const pids = await processes();
      return () => processCpuMs(pids);
    },
    memoryMiB: async () => processRssMiB(await processes()),
    async restart() {
      await server.stop();
      await server.start();
    },
    async offlineDepth(names) {
      if (name === "prosody") return Promise.all(names.map((username) => prosodyOfflineCount(`${server.dir}/data`, DOMAIN, username)));
      const counts: number[] = [];
      for (let first = 0; first < names.length; first += BATCH) {
        counts.push(
          ...(await Promise.all(
            names.slice(first, first + BATCH).map(async (username) => {
              // Logged in without initial presence, so nothing stored is delivered.
              const xmpp = client(username);
              await xmpp.start();
              try {
                return await flexibleOfflineCount(xmpp, `${username}@${DOMAIN}`);
              } finally {
                await xmpp.stop();
              }
            }),
          )),
        );
      }
      return counts;
    },
  };
}
