import { afterEach, describe, expect, it } from "vitest";
import { PushError } from "../../../src/protocol/index.js";
import * as v1 from "../../fixtures/v1/exchanges.js";
import { APP_SERVER, bobSubscribesAndGoesOffline, type Chain, chat, createChain, goOffline, nextEvent } from "../../helpers/chain.js";
import { parseXml } from "../../helpers/parse-xml.js";
import { rejection } from "../../helpers/push-error.js";
import { differences } from "../../helpers/recorded-exchange.js";
import { scriptedComponent } from "../../helpers/scripted-component.js";

let chain: Chain;
afterEach(async () => {
  await chain?.close();
});

// A short throttle window (V1-9, 5 s there) so that the second push of a test waits only briefly.
const v1Chain = () => createChain({ appServer: { dialects: ["v1"], v1RateLimit: 50 } });

describe("v1 (mod_push_appserver) through PushClient and the reference servers (V1-*)", () => {
  it("V1-10: discover() tells v1 by v1-register-push", async () => {
    chain = v1Chain();
    const { push } = await chain.device("bob");
    const info = await push.discover(APP_SERVER);
    expect(info.dialect).toBe("v1");
    expect(info.providers).toEqual([]);
  });

  it("register → enable → offline message: one delivery with the token; a new token keeps node and secret (V1-4)", async () => {
    chain = v1Chain();
    const { alice, bob, registration } = await bobSubscribesAndGoesOffline(chain, { provider: "fcm", token: "fcm-token-1", deviceId: "device-1" });
    expect(registration).toMatchObject({ dialect: "v1", jid: APP_SERVER, node: "device-1" });

    let delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(chat("bob@example.test", "one"));
    expect((await delivered)[0]).toMatchObject({ token: "fcm-token-1", node: "device-1" });

    const phone = await chain.device("bob", "phone", { store: bob.push.store });
    const rotated = await phone.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "fcm-token-2", deviceId: "device-1" });
    expect(rotated).toMatchObject({ node: "device-1", secret: registration.secret });
    await goOffline(chain, phone.xmpp);
    // Within the throttle window the push is held until the window ends, then delivered (V1-9).
    delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(chat("bob@example.test", "two"));
    expect((await delivered)[0]).toMatchObject({ token: "fcm-token-2", node: "device-1" });
    expect(chain.appServer.deliveries.map((delivery) => delivery.token)).toEqual(["fcm-token-1", "fcm-token-2"]);
  });

  it("V1-1: the node is the device id, and the default device id is random (128 bits), never a hardware id", async () => {
    chain = v1Chain();
    const { push } = await chain.device("bob");
    const first = await push.register({ appServer: APP_SERVER, provider: "fcm", token: "t1" });
    const second = await push.register({ appServer: APP_SERVER, provider: "fcm", token: "t2" });
    expect(first.node).toBe(first.deviceId);
    expect(first.deviceId).toMatch(/^[0-9a-f]{32}$/);
    expect(second.deviceId).toMatch(/^[0-9a-f]{32}$/);
    expect(second.deviceId).not.toBe(first.deviceId);
  });

  it("unsubscribe() unregisters with v1-unregister-push (V1-5)", async () => {
    chain = v1Chain();
    const { push } = await chain.device("bob");
    await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t", deviceId: "device-1" });
    const report = await push.unsubscribe();
    expect(report.errors).toEqual([]);
    expect(chain.appServer.registrations()).toEqual([]);
  });

  it("its refusals become PushErrors with its condition; there is no list (V1-6)", async () => {
    chain = v1Chain();
    const { push } = await chain.device("bob");
    const empty = await rejection(push.register({ appServer: APP_SERVER, provider: "fcm", token: "" }));
    expect(empty.condition).toBe("not-acceptable");
    const list = await rejection(push.listRegistrations(APP_SERVER));
    expect(list).toBeInstanceOf(PushError);
    expect(list.condition).toBe("not-supported");
  });
});

describe("the v1 dialect's requests against those recorded from mod_push_appserver.lua", () => {
  const commandOf = (source: string) => parseXml(source).getChild("command", "http://jabber.org/protocol/commands")!.toString();

  it("register and unregister send what the module reads, and read what it answers (status `complete`, a `form`)", async () => {
    const scripted = scriptedComponent(v1.V1_APP, (iq) => {
      const command = iq.getChild("command", "http://jabber.org/protocol/commands");
      if (!command) throw new PushError("service-unavailable", "service-unavailable");
      const exchange = command.attrs.node === "v1-register-push" ? v1.V1_REGISTER : v1.V1_UNREGISTER;
      return parseXml(exchange.response.replace("{secret}", "secret-1")).getChildElements()[0];
    });
    chain = createChain();
    chain.server.attach(scripted);
    const { push } = await chain.device("bob");
    const registration = await push.register({ appServer: v1.V1_APP, provider: "fcm", token: "fcm-token-1", deviceId: "device-1", dialect: "v1" });
    expect(registration).toMatchObject({ jid: v1.V1_APP, node: "device-1", secret: "secret-1" });
    expect(await push.unregister(v1.V1_APP, { deviceId: "device-1", provider: "fcm", dialect: "v1" })).toEqual(["device-1"]);

    const [register, unregister] = scripted.requests.map((iq) => iq.getChild("command", "http://jabber.org/protocol/commands")!);
    expect(differences(register!, commandOf(v1.V1_REGISTER.request))).toEqual([]);
    expect(differences(unregister!, commandOf(v1.V1_UNREGISTER.request))).toEqual([]);
  });
});
