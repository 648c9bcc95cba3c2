import { beforeEach, expect, vi } from "vitest";
import {
  buildCommandRequest,
  buildIq,
  type CommandRequest,
  type CommandResponse,
  type Element,
  type FieldValue,
  getValue,
  NS,
  parseCommandResponse,
} from "../../src/protocol/index.js";
import { type AppServer, type AppServerEvents, type AppServerOptions, createAppServer } from "../../src/sim/index.js";
import { APP, submit } from "./app-server-fixtures.js";
import { roundTrip } from "./parse-xml.js";

const START_TIME = 1_000_000;
const WAIT = { interval: 1, timeout: 2_000 };

/** What a completed registration's result form hands the device. */
export interface Registered {
  jid: string;
  node: string;
  secret: string;
}

export interface AppServerHarness {
  /** The app server of the running test; `start` replaces it. */
  readonly server: AppServer;
  /** Every stanza the app server sent through its link, in order. */
  readonly sent: Element[];
  /** What the app server's `now()` returns; a test moves it to expire sessions. */
  clock: number;
  /** Replaces the app server with one made with these options, linked afresh. */
  start(options?: Partial<AppServerOptions>): void;
  /** Cuts the app server's link: from now on its replies go nowhere. */
  unlink(): void;
  /** Feeds an IQ (with a fresh id) to the app server as off the wire, and resolves with its reply, checked to be addressed back. */
  exchange(iq: Element): Promise<Element>;
  /** Resolves with the stanza the app server sent with this id, once it has. */
  replyTo(id: string): Promise<Element>;
  command(from: string, request: CommandRequest): Promise<Element>;
  /** The command payload of a successful command reply. */
  commandResponse(from: string, request: CommandRequest): Promise<CommandResponse>;
  /** Runs a single-stage register command, checks that it completed, and returns its result. */
  register(from: string, provider: string, values: Record<string, FieldValue | undefined>): Promise<Registered>;
  /** Collects the first argument of every `name` event from now on. */
  recorded<Name extends keyof AppServerEvents>(name: Name): AppServerEvents[Name][0][];
}

/** Gives each test of the calling file a fresh app server at `APP`, linked to a recording send, with a clock at a fixed time. */
export function useAppServer(): AppServerHarness {
  let server: AppServer | undefined;
  let sent: Element[] = [];
  let unlink = (): void => undefined;
  let ids = 0;

  const current = (): AppServer => {
    if (!server) throw new Error("the app server starts before each test");
    return server;
  };

  const harness: AppServerHarness = {
    get server() {
      return current();
    },
    get sent() {
      return sent;
    },
    clock: START_TIME,
    start(options = {}) {
      server = createAppServer({ jid: APP, now: () => harness.clock, ...options });
      sent = [];
      unlink = server.connect((stanza) => sent.push(stanza));
    },
    unlink: () => unlink(),
    async exchange(iq) {
      const id = `iq${++ids}`;
      iq.attrs.id = id;
      current().receive(roundTrip(iq));
      const reply = await harness.replyTo(id);
      expect(reply.attrs.to).toBe(iq.attrs.from);
      expect(reply.attrs.from).toBe(iq.attrs.to ?? APP);
      return roundTrip(reply);
    },
    replyTo: (id) =>
      vi.waitFor(() => {
        const found = sent.find((stanza) => stanza.attrs.id === id);
        if (!found) throw new Error(`no reply to ${id} yet`);
        return found;
      }, WAIT),
    command: (from, request) => harness.exchange(buildIq({ type: "set", from, to: APP }, buildCommandRequest(request))),
    async commandResponse(from, request) {
      const reply = await harness.command(from, request);
      expect(reply.attrs.type).toBe("result");
      const payload = reply.getChild("command", NS.commands);
      if (!payload) throw new Error(`no command in ${reply.toString()}`);
      return parseCommandResponse(payload);
    },
    async register(from, provider, values) {
      const response = await harness.commandResponse(from, { node: `register-push-${provider}`, form: submit(values) });
      expect(response.status).toBe("completed");
      const form = response.form;
      if (!form) throw new Error("completed registration without a form");
      expect(form.type).toBe("result");
      return { jid: getValue(form, "jid") ?? "", node: getValue(form, "node") ?? "", secret: getValue(form, "secret") ?? "" };
    },
    recorded(name) {
      const events: AppServerEvents[typeof name][0][] = [];
      current().on(name, (...args) => events.push(args[0]));
      return events;
    },
  };

  beforeEach(() => {
    harness.clock = START_TIME;
    ids = 0;
    harness.start();
  });
  return harness;
}
