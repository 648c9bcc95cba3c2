/**
 * XEP-0388 SASL2 and XEP-0386 Bind2 on the reference server (`sasl2: true`), through real
 * @xmpp/client 0.14 logins: it takes SASL2 whenever it is offered and always sends a Bind2
 * request with its `resource` as the tag, and XEP-0198's enable inline.
 */

import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { createXmppServer, type SimulatedClient, type XmppServer, type XmppServerOptions } from "../../../src/sim/index.js";
import { recordLogin } from "../../helpers/login-exchange.js";

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
  it("logs in with SASL2 PLAIN, binds <tag>~<suffix>, enables XEP-0198 inline: two round trips, no IQ (SA1, SA3, SA4)", async () => {
    start();
    const alice = client("alice", { resource: "phone", userAgent: { id: "d4a1c2b0-aaaa-4bbb-8ccc-000000000001", software: "test" } });
    const login = recordLogin(alice);
    const jid = await alice.start();
    const exchange = await login;

    expect(jid.toString()).toMatch(/^alice@example\.test\/phone~[0-9a-f]{12}$/);
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
