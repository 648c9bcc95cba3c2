import { afterEach, describe, expect, it } from "vitest";
import { modPush, p2, PushClient, rooms, tigase, v1 } from "../../src/index.js";
import type { AppServerDialectName } from "../../src/sim/index.js";
import { APP_SERVER, type Chain, createChain } from "../helpers/chain.js";
import { rejection } from "../helpers/push-error.js";

let chain: Chain;
afterEach(async () => {
  await chain?.close();
});

/** bob online with a PushClient given only `options`, against an app server speaking `dialects`. */
async function bobWith(dialects: AppServerDialectName[], options: ConstructorParameters<typeof PushClient>[1] = {}): Promise<PushClient> {
  chain = createChain({ appServer: { dialects } });
  return new PushClient(await chain.connect("bob"), options);
}

describe("PushClient speaks only the dialects and extensions it is given (C29)", () => {
  it("by default mod-push, the app server simulator's dialect: discover and subscribe work", async () => {
    const push = await bobWith(["mod-push"]);
    expect((await push.discover(APP_SERVER)).dialect).toBe("mod-push");
    expect((await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t" })).dialect).toBe("mod-push");
  });

  it.each([
    ["p2", "p2"],
    ["v1", "v1"],
    ["tigase", "tigase"],
  ] as const)("an app server speaking %s, not passed: discover() is not-supported and names the export %s", async (dialect, exported) => {
    const push = await bobWith([dialect]);
    const error = await rejection(push.discover(APP_SERVER));
    expect(error.condition).toBe("not-supported");
    expect(error.message).toContain(`dialects: [..., ${exported}]`);
    expect((await rejection(push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t" }))).condition).toBe("not-supported");
    expect(chain.appServer.registrations()).toEqual([]);
  });

  it("passed, the same app server is recognised and registered with", async () => {
    const push = await bobWith(["p2"], { dialects: [modPush, p2, v1] });
    expect((await push.discover(APP_SERVER)).dialect).toBe("p2");
    expect((await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t" })).dialect).toBe("p2");
  });

  it("a named dialect not passed is not-supported", async () => {
    const push = await bobWith(["p2"]);
    const error = await rejection(push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t", dialect: "p2" }));
    expect(error.condition).toBe("not-supported");
    expect(error.message).toContain("unknown registration dialect 'p2'");
  });

  it("Push 2.0 without extensions: [push2] is not-supported and names it; nothing is stored", async () => {
    const push = await bobWith(["mod-push"]);
    const subscription = { endpoint: "https://push.example.test/1", keys: { p256dh: "AQ", auth: "AQ" } };
    const error = await rejection(push.subscribePush2({ service: "relay.example.test", subscription, vapidKeys: { publicKey: "AQ", privateKey: "AQ" } }));
    expect(error.condition).toBe("not-supported");
    expect(error.message).toContain("extensions: [push2]");
    expect(() => push.enablePush2Inline()).toThrow(/extensions: \[push2\]/);
    expect(await push.registrations()).toEqual([]);
  });

  it("muc without extensions: [rooms] is not-supported before anything is registered; with it, the room's channel is its own registration", async () => {
    const push = await bobWith(["mod-push"]);
    const error = await rejection(push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t", muc: "team@conference.example.test" }));
    expect(error.condition).toBe("not-supported");
    expect(error.message).toContain("extensions: [rooms]");
    expect(chain.appServer.registrations()).toEqual([]);
    expect((await rejection(push.unsubscribe({ muc: "team@conference.example.test" }))).condition).toBe("not-supported");

    const withRooms = new PushClient(await chain.connect("bob", "tablet"), { extensions: [rooms], reenable: false });
    const registration = await withRooms.register({ appServer: APP_SERVER, provider: "fcm", token: "t", muc: "team@conference.example.test" });
    expect(registration.muc).toBe("team@conference.example.test");
  });

  it("tigase settings without the tigase dialect are not-supported before anything is registered", async () => {
    const push = await bobWith(["mod-push"]);
    const error = await rejection(push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t", tigase: { away: true } }));
    expect(error.condition).toBe("not-supported");
    expect(error.message).toContain("dialects: [..., tigase]");
    expect(chain.appServer.registrations()).toEqual([]);
    // Passed, the settings are kept with a mod-push registration too.
    const withTigase = new PushClient(await chain.connect("bob", "tablet"), { dialects: [modPush, tigase], reenable: false });
    const registration = await withTigase.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t2", tigase: { away: true } });
    expect(registration.tigase?.settings).toEqual({ away: true });
  });

  it("findPushComponent lives in the tigase dialect: without it not-supported, naming the export; with it, it searches the domain's items (T1)", async () => {
    const push = await bobWith(["mod-push"]);
    const error = await rejection(push.findPushComponent());
    expect(error.condition).toBe("not-supported");
    expect(error.message).toContain("dialects: [..., tigase]");
    const withTigase = new PushClient(await chain.connect("bob", "tablet"), { dialects: [modPush, tigase], reenable: false });
    // The app server simulator is among the domain's items with identity pubsub/push.
    expect(await withTigase.findPushComponent()).toBe(APP_SERVER);
  });
});
