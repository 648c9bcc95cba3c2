import { rm } from "node:fs/promises";
import type { RealServerName } from "../shared.js";
import { createEjabberd } from "./ejabberd.js";
import { debianVersions, findCommand, requireServerPackages } from "./packages.js";
import { createProsody } from "./prosody.js";
import type { RealServer, ServerOptions } from "./real-server.js";

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Prosody and ejabberd in temporary directories, owned by this process: whatever happens
 * (a failure, Ctrl-C, a termination signal, process.exit), each is stopped by its PID.
 */
export class ServerFleet {
  readonly servers = new Map<RealServerName, RealServer>();
  /** Spawn → every port listening, ms. */
  readonly coldStart = new Map<RealServerName, number>();
  #stopping: Promise<void> | undefined;
  #interrupted = false;
  #beforeStop: (() => Promise<void>) | undefined;

  /** Fails with an apt-get hint when the packages are missing. */
  static async create(options: ServerOptions = {}): Promise<ServerFleet> {
    await requireServerPackages();
    const fleet = new ServerFleet();
    fleet.#guard();
    const debs = await debianVersions(["prosody", "prosody-modules", "ejabberd"]);
    const deb = (name: string): string => (debs[name] ? `${name} ${debs[name]}` : `${name} (version unknown)`);
    const commands = { prosody: (await findCommand("prosody"))!, prosodyctl: (await findCommand("prosodyctl"))! };
    const [prosody, ejabberd] = await Promise.all([
      createProsody(commands, `Debian ${deb("prosody")}, ${deb("prosody-modules")}`, options),
      createEjabberd((await findCommand("ejabberdctl"))!, `Debian ${deb("ejabberd")}`, options),
    ]);
    fleet.servers.set("prosody", prosody);
    fleet.servers.set("ejabberd", ejabberd);
    return fleet;
  }

  get(name: RealServerName): RealServer {
    const server = this.servers.get(name);
    if (!server) throw new Error(`no ${name} in the fleet`);
    return server;
  }

  /** Starts every server at once and records how long each took to listen. */
  async start(): Promise<void> {
    await Promise.all(
      [...this.servers.values()].map(async (server) => {
        await server.start();
        if (server.listeningAfterMs !== undefined) this.coldStart.set(server.info.name, server.listeningAfterMs);
      }),
    );
  }

  /** One line per server: version and cold start. */
  versions(): string[] {
    return [...this.servers.values()].map((server) => `${server.info.version} — listening ${this.coldStart.get(server.info.name) ?? "?"} ms after start`);
  }

  /** Whether a termination signal arrived: then nothing may be reported as a result. */
  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** Runs before the servers stop on an interrupt (e.g. ending a test run that uses them). */
  onInterrupt(beforeStop: () => Promise<void>): void {
    this.#beforeStop = beforeStop;
  }

  stop(): Promise<void> {
    this.#stopping ??= Promise.allSettled([...this.servers.values()].map((server) => server.stop())).then(() => undefined);
    return this.#stopping;
  }

  async removeDirectories(): Promise<void> {
    await Promise.all([...this.servers.values()].map((server) => rm(server.dir, { recursive: true, force: true })));
  }

  #guard(): void {
    // Last resort when the process ends without the asynchronous stop.
    process.on("exit", () => {
      for (const server of this.servers.values()) server.killNow();
    });
    for (const [signal, code] of Object.entries(SIGNALS)) {
      process.on(signal, () => {
        this.#interrupted = true;
        console.error(`\n${signal}: stopping the servers…`);
        void Promise.allSettled([this.#beforeStop?.(), this.stop()]).finally(() => {
          console.error(`servers stopped; their configs and logs: ${[...this.servers.values()].map((server) => server.dir).join(" ")}`);
          process.exit(code);
        });
      });
    }
  }
}
