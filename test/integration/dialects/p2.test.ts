import { afterEach, describe, expect, it } from "vitest";
import { PushError } from "../../../src/protocol/index.js";
import * as p2 from "../../fixtures/p2/exchanges.js";
import { APP_SERVER, bobSubscribesAndGoesOffline, type Chain, chat, createChain, goOffline, nextEvent } from "../../helpers/chain.js";
import { parseXml } from "../../helpers/parse-xml.js";
import { rejection } from "../../helpers/push-error.js";
import { differences } from "../../helpers/recorded-exchange.js";
import { scriptedComponent } from "../../helpers/scripted-component.js";

let chain: Chain;
afterEach(async () => {
  await chain?.close();
});

const p2Chain = () => createChain({ appServer: { dialects: ["p2"] } });

describe("p2 through PushClient and the reference servers (P2-*)", () => {
  it("P2-9: discover() tells p2 by its per-service unregister commands", async () => {
    chain = p2Chain();
    const { push } = await chain.device("bob");
    const info = await push.discover(APP_SERVER);
    expect(info.dialect).toBe("p2");
    expect(info.providers).toEqual(["fcm", "apns"]);
  });

  it("register → enable → offline message: one delivery with the token; a new token keeps the node (P2-4)", async () => {
    chain = p2Chain();
    const { alice, bob, registration } = await bobSubscribesAndGoesOffline(chain, { provider: "fcm", token: "fcm-token-1", deviceId: "device-1" });
    expect(registration).toMatchObject({ dialect: "p2", jid: APP_SERVER, publishOptions: { secret: registration.secret } });

    let delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(chat("bob@example.test", "one"));
    expect((await delivered)[0]).toMatchObject({ token: "fcm-token-1", node: registration.node });

    const phone = await chain.device("bob", "phone", { store: bob.push.store });
    const rotated = await phone.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "fcm-token-2", deviceId: "device-1" });
    expect(rotated.node).toBe(registration.node);
    expect(rotated.secret).toBe(registration.secret);
    await goOffline(chain, phone.xmpp);
    delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(chat("bob@example.test", "two"));
    expect((await delivered)[0]).toMatchObject({ token: "fcm-token-2", node: registration.node });
    expect(chain.appServer.deliveries.map((delivery) => delivery.token)).toEqual(["fcm-token-1", "fcm-token-2"]);
    expect(chain.appServer.registrations()).toHaveLength(1);
  });

  it("unsubscribe() unregisters with unregister-push-<service> (P2-5)", async () => {
    chain = p2Chain();
    const { push } = await chain.device("bob");
    await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t", deviceId: "device-1" });
    const report = await push.unsubscribe();
    expect(report.errors).toEqual([]);
    expect(chain.appServer.registrations()).toEqual([]);
  });

  it("p2's refusals become PushErrors with its condition; there is no list (P2-1, P2-5, P2-6)", async () => {
    chain = p2Chain();
    const { push } = await chain.device("bob");
    const device = { appServer: APP_SERVER, token: "t", deviceId: "device-1" };
    const fullMuc = await rejection(push.register({ ...device, provider: "fcm", fields: { muc: "room@conference.example.test/bob" } }));
    expect(fullMuc.condition).toBe("bad-request");
    expect((await rejection(push.register({ ...device, provider: "wns", dialect: "p2" }))).condition).toBe("item-not-found");
    expect((await rejection(push.unregister(APP_SERVER, { deviceId: "device-1", provider: "fcm" }))).condition).toBe("item-not-found");
    const list = await rejection(push.listRegistrations(APP_SERVER));
    expect(list).toBeInstanceOf(PushError);
    expect(list.condition).toBe("not-supported");
  });

  it("a room's channel: muc (bare) is carried in fields and is its own registration (P2-1)", async () => {
    chain = p2Chain();
    const { push } = await chain.device("bob");
    const device = { appServer: APP_SERVER, provider: "fcm" as const, token: "t", deviceId: "device-1" };
    const account = await push.register(device);
    const room = await push.register({ ...device, fields: { muc: "room@conference.example.test" } });
    expect(room.node).not.toBe(account.node);
    expect(await push.unregister(APP_SERVER, { deviceId: "device-1", provider: "fcm", fields: { muc: "room@conference.example.test" }, nodes: [room.node] })).toEqual([room.node]);
    expect(chain.appServer.registrations().map((registration) => registration.node)).toEqual([account.node]);
  });
});

describe("the p2 dialect's requests against those recorded from PushController.java", () => {
  const commandOf = (source: string) => parseXml(source).getChild("command", "http://jabber.org/protocol/commands")!.toString();

  it("register and unregister send what p2 reads, and read what p2 answers (form type `form`, a status-less complete)", async () => {
    const scripted = scriptedComponent(p2.P2_APP, (iq) => {
      const command = iq.getChild("command", "http://jabber.org/protocol/commands");
      // p2 turns its service discovery off.
      if (!command) throw new PushError("service-unavailable", "service-unavailable");
      const exchange = command.attrs.node === "register-push-fcm" ? p2.P2_REGISTER : p2.P2_UNREGISTER;
      return parseXml(exchange.response.replace("{node}", "node-1").replace("{secret}", "secret-1")).getChildElements()[0];
    });
    chain = createChain();
    chain.server.attach(scripted);
    const { push } = await chain.device("bob");
    const registration = await push.register({ appServer: p2.P2_APP, provider: "fcm", token: "fcm-token-1", deviceId: "device-1", dialect: "p2" });
    expect(registration).toMatchObject({ jid: p2.P2_APP, node: "node-1", secret: "secret-1" });
    expect(await push.unregister(p2.P2_APP, { deviceId: "device-1", provider: "fcm", dialect: "p2" })).toEqual([]);

    const [register, unregister] = scripted.requests.map((iq) => iq.getChild("command", "http://jabber.org/protocol/commands")!);
    expect(differences(register!, commandOf(p2.P2_REGISTER.request))).toEqual([]);
    expect(differences(unregister!, commandOf(p2.P2_UNREGISTER.request))).toEqual([]);
  });
});
