/** What the runner (run.ts) and the suite agree on: names, environment variables, scenario titles. */

export const REAL_SERVERS = ["prosody", "ejabberd"] as const;
export type RealServerName = (typeof REAL_SERVERS)[number];
export type TargetName = "reference" | RealServerName;
export const TARGETS: readonly TargetName[] = ["reference", ...REAL_SERVERS];

export const DOMAIN = "localhost";
export const PUSH_JID = "push.localhost";
/** Each server's XEP-0045 service. */
export const MUC_JID = "conference.localhost";
export const PASSWORD = "pw";
export const USERS = ["alice", "bob", "carol"] as const;

/** A running real server as the suite sees it. */
export interface RealServerInfo {
  name: RealServerName;
  /** e.g. "Prosody 0.12.3 (prosody-modules 0.0~hg20230223…)". */
  version: string;
  /** RFC 6120 c2s endpoint without TLS, e.g. xmpp://127.0.0.1:PORT. */
  tcp: string;
  /** RFC 7395 endpoint, e.g. ws://127.0.0.1:PORT/xmpp-websocket. */
  websocket: string;
  /** XEP-0114 endpoint, e.g. xmpp://127.0.0.1:PORT. */
  component: string;
  componentSecret: string;
  /** Publish errors in a row after which the server drops a registration, as configured. */
  maxPublishErrors: number;
  logFile: string;
}

export const ENV = {
  /** JSON: RealServerInfo[]. */
  servers: "INTEROP_SERVERS",
  /** Base URL of the runner's control endpoint (kill / start a server, read its PID). */
  control: "INTEROP_CONTROL",
  /** JSON-lines file the suite appends observations to. */
  notes: "INTEROP_NOTES",
  /** Directory the suite writes recorded publishes into. */
  fixtures: "INTEROP_FIXTURES",
  /** JSON-lines file the robustness tests append each probe's outcome to (ProbeRecord). */
  probes: "INTEROP_PROBES",
  /** "tcp": every client a scenario connects speaks TCP instead of WebSocket (the runner's `--transport=tcp`). */
  transport: "INTEROP_TRANSPORT",
} as const;

/** POST /<server>/kill|stop|start (kill: SIGKILL, as a crash; stop: graceful); GET /<server>/pid answers the running server process's PID. */
export type ControlAction = "kill" | "stop" | "start";

/** Test titles, in table order: each target's describe block has one test per entry. */
export const SCENARIOS = {
  discovery: "discovery: isSupported",
  register: "register at the app server through the server",
  enable: "enable with a secret: publish-options copied into the publish",
  offline: "offline chat message → one delivery",
  second: "second offline message → second delivery",
  chatState: "body-less chat state to an offline user",
  disableOne: "disable one node: the other still delivers",
  disableAll: "disable all nodes: no publish",
  logoutOffline: "unsubscribe() while offline (C30): the server still pushes until the next session finishes the removal",
  removalResumed: "connection drops mid-unsubscribe (C30, XEP-0198): the step left is finished after resumption",
  publishError: "app server answers a publish with an error → server stops publishing",
  wrongSecret: "wrong secret → no delivery",
  malformed: "malformed publish → one error reply, app server keeps running",
  hibernation: "hibernated session (XEP-0198): a message pushes, resumption delivers it",
  mamArchived: "MAM: a message archived while another resource is online → one push to the offline device, the archive has it",
  cleanStop: "clean stop after IQs (XEP-0198): nothing pushed or stored offline again",
  cleanStopUncorrected: "same with the count correction off: the stock client's short h re-stores and pushes",
  roomJoin: "presence and a room join right after start() (XEP-0198): the stream stays up",
  killed: "server killed → pending request rejects with PushError",
  linkDrop: "component link drops → reconnects, deliveries resume",
} as const;

export type ScenarioTitle = (typeof SCENARIOS)[keyof typeof SCENARIOS];

/**
 * One observation of the suite: `differs` is a behaviour that departs from XEP-0357's examples
 * and the reference server (it shows in the table); `seen` is recorded for the report only.
 */
export interface Note {
  target: TargetName;
  scenario: ScenarioTitle;
  kind: "differs" | "seen";
  text: string;
}

/** One hostile probe's outcome on one target and transport, for the runner's robustness table. */
export interface ProbeRecord {
  target: TargetName;
  /** The probe's id in test/hostile/probes.ts. */
  probe: string;
  transport: "tcp" | "ws";
  /** The answer in one line (test/hostile/answer.ts); `still open` = no answer within `answerTimeoutMs`. */
  answer: string;
  answerTimeoutMs: number;
  /** The server process was gone after the probe. */
  crashed: boolean;
  /** Afterwards two normal clients logged in and exchanged a message. */
  serving: boolean;
  /** Peak resident memory growth while the probe ran, MiB. */
  rssGrowthMiB?: number;
  durationMs: number;
}
