import type { RealServerInfo } from "../shared.js";

/** A real XMPP server the runner installed into a temporary directory. */
export interface RealServer {
  readonly info: RealServerInfo;
  /** The temporary directory holding its config, data and logs. */
  readonly dir: string;
  readonly running: boolean;
  /** The server process's own PID (Prosody's lua, ejabberd's beam.smp) while it runs; a restart changes it. */
  readonly pid: number | undefined;
  /** Spawn → every port listening, ms, of the last start. */
  readonly listeningAfterMs: number | undefined;
  /** Starts it and waits until every port listens (with a timeout). */
  start(): Promise<void>;
  /** Ends it abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Ends it gracefully, forcefully if it does not exit in time. */
  stop(): Promise<void>;
  /** Synchronous SIGKILL, for the runner's last-resort exit handler. */
  killNow(): void;
}

export interface ServerOptions {
  /** Accounts to register, each with the password "pw" (default alice, bob, carol). */
  users?: readonly string[];
  /** Put the real message body into the push summary (default: the servers' defaults, no body). */
  withBody?: boolean;
  /** Log level: "debug" keeps every stanza in Prosody's log, for the interop suite (default); benchmarks want "info". */
  logLevel?: "debug" | "info";
}
