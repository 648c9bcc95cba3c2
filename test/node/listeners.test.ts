import { client, xml } from "@xmpp/client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { listenTcp, listenWebSocket } from "../../src/node/index.js";
import { PushClient } from "../../src/index.js";
import { createAppServer, createXmppServer, type XmppServer } from "../../src/sim/index.js";
import { waitFor } from "../helpers/chain.js";

// Node 20 has no global WebSocket; @xmpp/websocket uses the global one.
beforeAll(() => {
  globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function serverWithListeners(): Promise<{ server: XmppServer; tcp: string; ws: string }> {
  const server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" } });
  server.attach(createAppServer({ jid: "push.example.test" }));
  const tcp = await listenTcp(server);
  const ws = await listenWebSocket(server);
  cleanups.push(() => server.close(), () => tcp.close(), () => ws.close());
  return { server, tcp: tcp.service, ws: ws.service };
}

function connect(service: string, username: string, resource: string) {
  const xmpp = client({ service, domain: "example.test", username, password: "pw", resource });
  xmpp.on("error", () => {});
  xmpp.reconnect.stop();
  cleanups.push(() => (xmpp.status === "offline" ? Promise.resolve() : xmpp.stop()));
  return xmpp;
}

describe("any client reaches the reference server over real sockets", () => {
  it("TCP (RFC 6120, SCRAM-SHA-1) and WebSocket (RFC 7395, PLAIN on loopback) run the main scenario", async () => {
    const { server, tcp, ws } = await serverWithListeners();
    expect(tcp).toMatch(/^xmpp:\/\/127\.0\.0\.1:\d+$/);
    expect(ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/xmpp-websocket$/);

    const mechanisms: string[] = [];
    const bob = connect(tcp, "bob", "phone");
    bob.on("send", (element) => element.name === "auth" && mechanisms.push(String(element.attrs.mechanism)));
    await bob.start();
    expect(bob.jid?.toString()).toBe("bob@example.test/phone");

    const push = new PushClient(bob);
    expect(await push.isSupported()).toBe(true);
    const registration = await push.subscribe({ appServer: "push.example.test", provider: "fcm", token: "tcp-token" });
    expect(server.registrations("bob").map((entry) => entry.node)).toEqual([registration.node]);
    await bob.stop();
    await waitFor(() => server.resources("bob").length === 0, 3000, "bob's session end");

    const alice = connect(ws, "alice", "browser");
    alice.on("send", (element) => element.name === "auth" && mechanisms.push(String(element.attrs.mechanism)));
    await alice.start();
    const published = new Promise((resolve) => server.once("publish-result", resolve));
    await alice.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "over the wire ✓")));
    await published;
    expect(mechanisms).toEqual(["SCRAM-SHA-1", "PLAIN"]);

    // bob comes back over TCP and gets the message that triggered the push.
    const received = new Promise<string>((resolve) => bob.on("stanza", (stanza) => stanza.is("message") && resolve(stanza.getChildText("body") ?? "")));
    await bob.start();
    await bob.send(xml("presence"));
    expect(await received).toBe("over the wire ✓");
  });

  it("refuses a wrong password over TCP (SCRAM proof check)", async () => {
    const { tcp } = await serverWithListeners();
    const xmpp = client({ service: tcp, domain: "example.test", username: "bob", password: "wrong", resource: "r" });
    xmpp.on("error", () => {});
    xmpp.reconnect.stop();
    cleanups.push(() => xmpp.stop().catch(() => undefined));
    await expect(xmpp.start()).rejects.toMatchObject({ condition: "not-authorized" });
  });

  it("a malformed stream over TCP gets a stream error and the server keeps serving", async () => {
    const { server, tcp } = await serverWithListeners();
    const { connect: netConnect } = await import("node:net");
    const port = Number(new URL(tcp.replace("xmpp://", "http://")).port);
    const raw = netConnect(port, "127.0.0.1");
    let received = "";
    raw.on("data", (chunk) => (received += chunk.toString()));
    const closed = new Promise((resolve) => raw.on("close", resolve));
    raw.write("<?xml version='1.0'?><stream:stream to='example.test' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><a></b>");
    await closed;
    expect(received).toContain("not-well-formed");
    expect(received).toContain("</stream:stream>");

    const alice = connect(tcp, "alice", "after");
    await alice.start();
    expect(server.resources("alice")).toEqual(["alice@example.test/after"]);
  });
});
