/**
 * Push 2.0 enable and disable on the reference server (`push2: true`) through real @xmpp/client
 * logins: as an IQ, inline in Bind2, and the refusals mod_push2 answers (P2S1–P2S4).
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { type Element, NS_PUSH2, PUSH2_MATCH, PUSH2_SEND_SCE } from "../../../src/protocol/index.js";
import { createXmppServer, type SimulatedClient, type XmppServer, type XmppServerOptions } from "../../../src/sim/index.js";
import { nextEvent } from "../../helpers/chain.js";
import { recordLogin } from "../../helpers/login-exchange.js";
import { push2Enable } from "../../helpers/push2-device.js";
import { push2Service } from "../../helpers/push2-service.js";
import { asClient } from "../../helpers/real-client.js";
import { push2Fixture } from "./fixture.js";

const fixture = push2Fixture();
let server: XmppServer;

function start(options: Partial<XmppServerOptions> = {}): XmppServer {
  server = fixture.serve(createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" }, push2: true, ...options }));
  return server;
}

const client = fixture.client;

function iqSet(xmpp: SimulatedClient, payload: Element): Promise<Element> {
  return xmpp.iqCaller.request(xml("iq", { type: "set" }, payload));
}

async function refusal(xmpp: SimulatedClient, payload: Element): Promise<{ type: unknown; condition: unknown }> {
  try {
    await iqSet(xmpp, payload);
  } catch (error) {
    const element = (error as { element?: Element }).element;
    return { type: element?.attrs.type, condition: (error as { condition?: unknown }).condition };
  }
  throw new Error("the enable was accepted");
}

describe("Push 2.0 enable and disable (P2S1–P2S3)", () => {
  it("the account's disco#info offers urn:xmpp:push2:0 and its profiles (P2S1)", async () => {
    start();
    const alice = client("alice");
    await alice.start();
    const info = await alice.iqCaller.request(xml("iq", { type: "get", to: "alice@example.test" }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
    const features = info.getChild("query")?.getChildren("feature").map((feature) => feature.attrs.var);
    expect(features).toEqual(expect.arrayContaining([NS_PUSH2, PUSH2_MATCH.important, PUSH2_MATCH.archived, PUSH2_SEND_SCE]));
  });

  it("an enable as an IQ set is stored under the resource without SASL2, and <disable/> removes it (P2S2)", async () => {
    start();
    const alice = client("alice", { resource: "phone" });
    await alice.start();
    await iqSet(alice, push2Enable(fixture.device(), { client: "https://push.example.net/send/a" }));
    expect(server.push2Registrations("alice")).toMatchObject([{ id: "phone", service: "push2.example.test", client: "https://push.example.net/send/a" }]);
    const [match] = server.push2Registrations("alice")[0]!.matches;
    expect(match).toMatchObject({ profile: PUSH2_MATCH.important, send: { profile: PUSH2_SEND_SCE, jwt: { alg: "ES256", claims: { aud: "https://push.example.net" } } } });

    const disabled = nextEvent(server, "push2-disabled");
    await iqSet(alice, xml("disable", { xmlns: NS_PUSH2 }));
    expect((await disabled)[1]).toBe("disable");
    expect(server.push2Registrations("alice")).toEqual([]);
  });

  it("with SASL2 the registration is keyed by the user-agent id: a new session's enable replaces it (P2S2)", async () => {
    start({ sasl2: true });
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const first = client("alice", { userAgent: { id } });
    await first.start();
    await iqSet(first, push2Enable(fixture.device(), { client: "https://push.example.net/send/old" }));
    await first.stop();
    const again = client("alice", { userAgent: { id } });
    await again.start();
    await iqSet(again, push2Enable(fixture.device(), { client: "https://push.example.net/send/new" }));
    expect(server.push2Registrations("alice").map(({ id: key, client: endpoint }) => [key, endpoint])).toEqual([[id, "https://push.example.net/send/new"]]);
  });

  it.each([
    ["no <service/>", { service: null }],
    ["no <client/>", { client: null }],
    ["the service is the account's own bare JID", { service: "alice@example.test" }],
    ["ua-public is not a P-256 point", { keys: { uaPublic: Buffer.alloc(65, 1).toString("base64") } }],
    ["auth-secret is not 16 octets", { keys: { authSecret: Buffer.alloc(8).toString("base64") } }],
    ["jwt-key is not base64", { keys: { jwtKey: "%%%" } }],
    ["jwt-key names P-256 but is no key", { keys: { jwtKey: Buffer.from("3013060a2a8648ce3d020106082a8648ce3d030107", "hex").toString("base64") } }],
  ] as const)("%s → modify/bad-request, nothing stored (P2S3)", async (_, shape) => {
    start();
    const alice = client("alice");
    await alice.start();
    expect(await refusal(alice, push2Enable(fixture.device(), shape))).toEqual({ type: "modify", condition: "bad-request" });
    expect(server.push2Registrations("alice")).toEqual([]);
  });

  it("the service is the sender's own full JID → modify/bad-request (mod_push2's own check, P2S3)", async () => {
    start();
    const alice = client("alice", { resource: "phone" });
    await alice.start();
    expect(await refusal(alice, push2Enable(fixture.device(), { service: "alice@example.test/phone" }))).toEqual({ type: "modify", condition: "bad-request" });
  });
});

describe("Push 2.0 inline in Bind2 (P2S4)", () => {
  it("the enable inside <bind/> is answered with <enabled/> in <bound/>: the login takes the same two round trips", async () => {
    start({ sasl2: true, modules: [] });
    server.attach(push2Service("push2.example.test"));
    const id = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    const plain = client("bob", { userAgent: { id: "bob-device" } });
    const plainLogin = recordLogin(plain);
    await plain.start();

    const alice = client("alice", { userAgent: { id } });
    const answers: string[] = [];
    const features: Element[] = [];
    alice.on("element", (element) => void (element.name === "stream:features" && features.push(element)));
    asClient(alice).bind2.use(NS_PUSH2, () => push2Enable(fixture.device()), async (element) => void answers.push(element.toString()));
    const login = recordLogin(alice);
    const enabled = nextEvent(server, "push2-enabled");
    await alice.start();
    const exchange = await login;

    const inline = features[0]?.getChild("authentication", "urn:xmpp:sasl:2")?.getChild("inline")?.getChild("bind", "urn:xmpp:bind:0")?.getChild("inline");
    expect(inline?.getChildren("feature").map((feature) => feature.attrs.var)).toContain(NS_PUSH2);
    expect(exchange.sent.map((element) => element.name)).toEqual(["authenticate"]);
    expect(exchange.sent[0]?.getChild("bind", "urn:xmpp:bind:0")?.getChild("enable", NS_PUSH2)).toBeDefined();
    expect(answers).toEqual([`<enabled xmlns="${NS_PUSH2}"/>`]);
    expect(exchange.roundTrips).toBe(2);
    expect(exchange.roundTrips).toBe((await plainLogin).roundTrips);
    expect((await enabled)[0]).toMatchObject({ account: "alice@example.test", id });
    expect(server.push2Registrations("alice").map((registration) => registration.id)).toEqual([id]);
  });

  it("a malformed inline enable gets <failed/> with modify/bad-request; the login still succeeds", async () => {
    start({ sasl2: true });
    const alice = client("alice", { userAgent: { id: "a-device" } });
    const answers: Element[] = [];
    asClient(alice).bind2.use(NS_PUSH2, () => push2Enable(fixture.device(), { service: null }), async (element) => void answers.push(element));
    await alice.start();
    expect(answers[0]?.name).toBe("failed");
    expect(answers[0]?.getChild("error")?.attrs.type).toBe("modify");
    expect(answers[0]?.getChild("error")?.getChild("bad-request")).toBeDefined();
    expect(server.push2Registrations("alice")).toEqual([]);
  });
});
