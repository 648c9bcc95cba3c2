/**
 * XEP-0388 SASL2 and XEP-0386 Bind2 on the reference server (`sasl2: true`), through real
 * @xmpp/client 0.14 logins: it takes SASL2 whenever it is offered and always sends a Bind2
 * request with its `resource` as the tag, and XEP-0198's enable inline.
 */

import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Element } from "../../../src/protocol/index.js";
import { createXmppServer, type SimulatedClient, type XmppServer, type XmppServerOptions } from "../../../src/sim/index.js";
import { recordLogin } from "../../helpers/login-exchange.js";
import { asClient } from "../../helpers/real-client.js";

let server: XmppServer;
const clients: SimulatedClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) if (client.status === "online") await client.stop();
  await server?.close();
});

function start(options: Partial<XmppServerOptions> = {}): XmppServer {
  server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" }, sasl2: true, ...options });
  return server;
}

function client(username: string, options: { resource?: string; password?: string; userAgent?: { id: string; software?: string } } = {}): SimulatedClient {
  const xmpp = server.client({ username, password: options.password ?? "pw", resource: options.resource, userAgent: options.userAgent });
  xmpp.on("error", () => {});
  xmpp.reconnect.stop();
  clients.push(xmpp);
  return xmpp;
}

describe("SASL2 + Bind2 with @xmpp/client 0.14 (SA1–SA6)", () => {
  it("logs in with SASL2 PLAIN, binds <tag>/<suffix>, enables XEP-0198 inline: two round trips, no IQ (SA1, SA3, SA4)", async () => {
    start();
    const alice = client("alice", { resource: "phone", userAgent: { id: "d4a1c2b0-aaaa-4bbb-8ccc-000000000001", software: "test" } });
    const login = recordLogin(alice);
    const jid = await alice.start();
    const exchange = await login;

    expect(jid.toString()).toMatch(/^alice@example\.test\/phone\/[0-9a-f]{12}$/);
    expect(server.resources("alice")).toEqual([jid.toString()]);
    expect(exchange.sent.map((element) => element.name)).toEqual(["authenticate"]);
    const authenticate = exchange.sent[0]!;
    expect(authenticate.attrs).toMatchObject({ xmlns: "urn:xmpp:sasl:2", mechanism: "PLAIN" });
    expect(authenticate.getChild("bind", "urn:xmpp:bind:0")?.getChild("enable", "urn:xmpp:sm:3")).toBeDefined();
    const success = exchange.received.find((element) => element.name === "success")!;
    expect(success.getChildText("authorization-identifier")).toBe(jid.toString());
    expect(success.getChild("bound", "urn:xmpp:bind:0")?.getChild("enabled", "urn:xmpp:sm:3")).toBeDefined();
    // Stream header → features, <authenticate/> → <success/>: nothing more before online.
    expect(exchange.roundTrips).toBe(2);
    expect(alice.streamManagement.enabled).toBe(true);

    // The session works.
    const pong = await alice.iqCaller.request(xml("iq", { type: "get", to: "example.test", id: "ping-1" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(pong.attrs.type).toBe("result");
  });

  it("the legacy login (RFC 6120 SASL + bind + enable) takes four round trips without SASL2 (SA5)", async () => {
    start({ sasl2: false });
    const alice = client("alice", { resource: "phone" });
    const login = recordLogin(alice);
    const jid = await alice.start();
    const exchange = await login;
    expect(jid.toString()).toBe("alice@example.test/phone");
    expect(exchange.sent.map((element) => element.name)).toEqual(["auth", "iq"]);
    expect(exchange.roundTrips).toBe(4);
  });
});

describe("SASL2 refusals and resources through @xmpp/client", () => {
  it("a wrong password: <failure/> with not-authorized in SASL2, start() rejects, no session (SA2)", async () => {
    start();
    const intruder = client("bob", { resource: "phone", password: "wrong" });
    const received: string[] = [];
    intruder.on("nonza", (element) => void received.push(element.toString()));
    await expect(intruder.start()).rejects.toMatchObject({ name: "SASLError", condition: "not-authorized" });
    expect(received.some((text) => text.includes("<failure xmlns=\"urn:xmpp:sasl:2\"><not-authorized xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>"))).toBe(true);
    expect(server.resources("bob")).toEqual([]);
  });

  it("the same user-agent id gets the same resource back (the older session is replaced); another id another one (SA3)", async () => {
    start();
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const first = client("alice", { resource: "phone", userAgent: { id } });
    const firstJid = (await first.start()).toString();
    const again = client("alice", { resource: "phone", userAgent: { id } });
    expect((await again.start()).toString()).toBe(firstJid);
    const other = client("alice", { resource: "phone", userAgent: { id: "7c9e6679-7425-40de-944b-e07fc1f90ae7" } });
    const otherJid = (await other.start()).toString();
    expect(otherJid).not.toBe(firstJid);
    expect(otherJid.startsWith("alice@example.test/phone/")).toBe(true);
    expect(server.resources("alice").sort()).toEqual([firstJid, otherJid].sort());
  });

  it("a module offers its own Bind2 inline feature and answers inside <bound/>, adding no round trip (SA6)", async () => {
    const NS_EXAMPLE = "urn:example:inline:0";
    const requests: string[] = [];
    start({
      modules: [
        {
          name: "example-inline",
          load(host) {
            host.hook("advertise-bind-features", ({ features }) => void features.append(xml("feature", { var: NS_EXAMPLE })));
            host.hook("enable-bind-features", ({ session, request, result }) => {
              const asked = request.getChild("turn-on", NS_EXAMPLE);
              if (!asked) return;
              requests.push(`${session.jid} ${asked.attrs.mode}`);
              result.append(xml("turned-on", { xmlns: NS_EXAMPLE, for: session.jid }));
            });
          },
        },
      ],
    });
    const alice = client("alice", { resource: "laptop" });
    const answers: string[] = [];
    asClient(alice).bind2.use(
      NS_EXAMPLE,
      () => xml("turn-on", { xmlns: NS_EXAMPLE, mode: "all" }),
      async (element) => void answers.push(String(element.attrs.for)),
    );
    const login = recordLogin(alice);
    const jid = (await alice.start()).toString();
    expect(requests).toEqual([`${jid} all`]);
    expect(answers).toEqual([jid]);
    expect((await login).roundTrips).toBe(2);
  });

  it.each([
    [true, ["urn:ietf:params:xml:ns:xmpp-sasl", "urn:xmpp:sasl:2"]],
    [false, ["urn:ietf:params:xml:ns:xmpp-sasl"]],
  ])("sasl2: %s offers %j before authentication (SA5)", async (sasl2, offered) => {
    start({ sasl2 });
    const alice = client("alice", { resource: "phone" });
    const features: Element[] = [];
    alice.on("element", (element) => element.name === "stream:features" && features.push(element));
    await alice.start();
    expect(features[0]?.getChildElements().map((child) => child.getNS())).toEqual(offered);
  });
});
