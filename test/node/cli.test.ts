import { type Client, client, xml } from "@xmpp/client";
import { afterAll, describe, expect, it } from "vitest";
import { PushClient } from "../../src/index.js";
import { parseCliArguments } from "../../src/node/cli/arguments.js";
import { UsageError } from "../../src/node/cli/usage-error.js";
import { CliProcess } from "../helpers/cli-process.js";

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** tsx compiles the CLI's sources on start-up. */
const START_TIMEOUT = 10_000;

const children: CliProcess[] = [];
const clients: Client[] = [];
afterAll(async () => {
  for (const child of children) child.kill();
  const stopped = Promise.all(clients.map((xmpp) => xmpp.stop().catch(() => undefined)));
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 2_000))]);
});

function startCli(args: string[]): CliProcess {
  const cli = new CliProcess(args);
  children.push(cli);
  return cli;
}

function connect(service: string, username: string, password: string, resource: string): Client {
  const xmpp = client({ service, domain: "example.test", username, password, resource });
  xmpp.on("error", () => {});
  xmpp.reconnect.stop();
  clients.push(xmpp);
  return xmpp;
}

function conditionOf(args: string[]): string | undefined {
  try {
    parseCliArguments(args);
    return undefined;
  } catch (error) {
    if (error instanceof UsageError) return error.condition;
    throw error;
  }
}

describe("xmpp-push-sim's command line", () => {
  it("defaults to example.test, alice and bob, TCP 5222, WebSocket 5280 and push.example.test", () => {
    expect(parseCliArguments([])).toEqual({
      kind: "run",
      options: {
        domain: "example.test",
        users: { alice: "pw", bob: "pw" },
        host: "127.0.0.1",
        tcpPort: 5222,
        wsPort: 5280,
        preset: "reference",
        appServer: "push.example.test",
        withBody: false,
        authTimeout: undefined,
        maxStanzaSize: undefined,
      },
    });
  });

  it("reads every option; --user replaces the default accounts and passwords may hold colons", () => {
    const command = parseCliArguments([
      "--domain", "Chat.Example.org", "--user", "carol:a:b", "--user", "dave:pw", "--host", "0.0.0.0",
      "--tcp-port", "0", "--no-ws", "--preset", "prosody", "--app-server", "apns.example.org", "--with-body",
      "--auth-timeout", "2000", "--max-stanza-size", "65536",
    ]);
    expect(command).toEqual({
      kind: "run",
      options: {
        domain: "chat.example.org",
        users: { carol: "a:b", dave: "pw" },
        host: "0.0.0.0",
        tcpPort: 0,
        wsPort: undefined,
        preset: "prosody",
        appServer: "apns.example.org",
        withBody: true,
        authTimeout: 2000,
        maxStanzaSize: 65536,
      },
    });
    expect(parseCliArguments(["--no-app-server", "--no-tcp"])).toMatchObject({ options: { appServer: undefined, tcpPort: undefined, wsPort: 5280 } });
    expect(parseCliArguments(["--domain", "x.test"])).toMatchObject({ options: { appServer: "push.x.test" } });
    expect(parseCliArguments(["-h"])).toEqual({ kind: "help" });
  });

  it("refuses bad arguments with a UsageError naming the condition", () => {
    expect(conditionOf(["--frobnicate"])).toBe("unknown-option");
    expect(conditionOf(["serve"])).toBe("unexpected-argument");
    expect(conditionOf(["--domain"])).toBe("bad-value");
    expect(conditionOf(["--tcp-port", "65536"])).toBe("bad-value");
    expect(conditionOf(["--ws-port", "-1"])).toBe("bad-value");
    expect(conditionOf(["--domain", "bob@example.test"])).toBe("bad-value");
    expect(conditionOf(["--user", "bob"])).toBe("bad-value");
    expect(conditionOf(["--user", ":pw"])).toBe("bad-value");
    expect(conditionOf(["--user", "b/ob:pw"])).toBe("bad-value");
    expect(conditionOf(["--preset", "openfire"])).toBe("bad-value");
    expect(conditionOf(["--auth-timeout", "0"])).toBe("bad-value");
    expect(conditionOf(["--max-stanza-size", "big"])).toBe("bad-value");
    expect(conditionOf(["--app-server", "push.example.test/x"])).toBe("bad-value");
    expect(conditionOf(["--user", "bob:1", "--user", "BOB:2"])).toBe("conflict");
    expect(conditionOf(["--no-tcp", "--no-ws"])).toBe("conflict");
    expect(conditionOf(["--tcp-port", "5300", "--no-tcp"])).toBe("conflict");
    expect(conditionOf(["--tcp-port", "5300", "--ws-port", "5300"])).toBe("conflict");
    expect(conditionOf(["--app-server", "p.example.test", "--no-app-server"])).toBe("conflict");
    expect(conditionOf(["--app-server", "example.test"])).toBe("conflict");
  });
});

describe("xmpp-push-sim as a process", () => {
  it("prints its addresses, logs each hop of bob's push as a JSON line, and stops cleanly on SIGTERM", async () => {
    const cli = startCli(["--tcp-port", "0", "--ws-port", "0", "--user", "alice:alice-pw-1", "--user", "bob:bob-pw-2"]);
    const listening = await cli.line("listening", {}, START_TIMEOUT);
    expect(listening).toMatchObject({ domain: "example.test", appServer: "push.example.test", users: ["alice", "bob"], preset: "reference", withBody: false });
    expect(listening.time).toMatch(ISO_TIME);
    expect(listening.tcp).toMatch(/^xmpp:\/\/127\.0\.0\.1:\d+$/);
    expect(listening.websocket).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/xmpp-websocket$/);
    const tcp = String(listening.tcp);

    const bob = connect(tcp, "bob", "bob-pw-2", "phone");
    await bob.start();
    await cli.line("online", { jid: "bob@example.test/phone" });
    const registration = await new PushClient(bob).subscribe({ appServer: "push.example.test", provider: "fcm", token: "cli-token" });
    const { node } = registration;
    expect(await cli.line("registered", { node })).toMatchObject({ account: "bob@example.test", appServer: "push.example.test", provider: "fcm", token: "cli-token" });
    expect(await cli.line("enabled", { node })).toMatchObject({ account: "bob@example.test", jid: "push.example.test", publishOptionFields: ["secret"] });
    await bob.stop();
    await cli.line("offline", { jid: "bob@example.test/phone" });

    const alice = connect(tcp, "alice", "alice-pw-1", "laptop");
    await alice.start();
    await alice.send(xml("message", { to: "bob@example.test", type: "chat", id: "dinner" }, xml("body", {}, "Dinner at 8?")));
    expect(await cli.line("stored", { account: "bob@example.test" })).toMatchObject({ from: "alice@example.test/laptop", id: "dinner" });
    expect(await cli.line("published", { node })).toMatchObject({ account: "bob@example.test", from: "bob@example.test", summary: { messageCount: 1 } });
    expect(await cli.line("delivered", { node })).toMatchObject({ account: "bob@example.test", provider: "fcm", token: "cli-token", summary: { messageCount: 1 } });
    await cli.line("publish-result", { node });

    const events = cli.lines.map((line) => line.event);
    // As in Prosody, the push goes out as the message reaches offline handling, before it is stored.
    expect(events.indexOf("published")).toBeLessThan(events.indexOf("stored"));
    expect(events.indexOf("stored")).toBeLessThan(events.indexOf("delivered"));
    expect(cli.lines.every((line) => ISO_TIME.test(line.time))).toBe(true);
    expect(cli.malformed).toEqual([]);
    for (const secret of ["alice-pw-1", "bob-pw-2", registration.secret ?? "no secret"]) expect(cli.stdout).not.toContain(secret);

    await alice.stop();
    cli.child.kill("SIGTERM");
    expect(await cli.line("stopped")).toMatchObject({ signal: "SIGTERM", clean: true, deliveries: 1 });
    expect(await cli.exited()).toEqual({ code: 0, signal: null });
  }, 30_000);

  // The built bin once died of a SIGTERM sent right after this line (handler not yet installed);
  // under tsx the window is too short to hit, so this pins the contract rather than the race.
  it("says null for what --no-ws and --no-app-server leave out, and stops on a SIGTERM right after", async () => {
    const cli = startCli(["--tcp-port", "0", "--no-ws", "--no-app-server"]);
    expect(await cli.line("listening", {}, START_TIMEOUT)).toMatchObject({ websocket: null, appServer: null });
    cli.child.kill("SIGTERM");
    expect(await cli.line("stopped")).toMatchObject({ signal: "SIGTERM", clean: true });
    expect(await cli.exited()).toEqual({ code: 0, signal: null });
  });

  it("exits 2 with a message on stderr and nothing on stdout for bad arguments; --help exits 0", async () => {
    const cases = [
      { args: ["--tcp-port", "nope"], message: "--tcp-port needs a port" },
      { args: ["--preset", "openfire"], message: "--preset must be one of reference, prosody, ejabberd, mongooseim" },
      { args: ["--frobnicate"], message: "--frobnicate" },
    ];
    const runs = cases.map(({ args }) => startCli(args));
    const help = startCli(["--help"]);
    for (const [index, run] of runs.entries()) {
      expect(await run.exited(START_TIMEOUT)).toEqual({ code: 2, signal: null });
      expect(run.stderr).toContain(cases[index]?.message);
      expect(run.stdout).toBe("");
    }
    expect(await help.exited(START_TIMEOUT)).toEqual({ code: 0, signal: null });
    expect(help.stdout).toMatch(/^Usage: xmpp-push-sim \[options\]\n/);
  }, 30_000);
});
