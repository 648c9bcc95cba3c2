import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { type Element, MemoryStore, PushClient, type RegisterOptions } from "../../src/index.js";
import { buildDiscoInfo, NS, PUSH_OPTIONS_FORM_TYPE } from "../../src/protocol/index.js";
import { APP_SERVER, type Chain, createChain, goOffline, nextEvent } from "../helpers/chain.js";
import { cutSocket } from "../helpers/client-socket.js";
import { describeRequests, type IqRecording, recordIqs } from "../helpers/iq-round-trips.js";
import { rejection } from "../helpers/push-error.js";
import { asClient } from "../helpers/real-client.js";

// IQ requests and sequential round trips per launch case (issue 12): an app that makes its
// PushClient before `start()`, as the README does, then calls `isSupported()` and `subscribe()`.
// Stream management is off, so that a dropped connection comes back as a fresh session; a
// resumed one needs nothing enabled again (its own case below).

const DEVICE: RegisterOptions = { appServer: APP_SERVER, provider: "fcm", token: "device-token", deviceId: "phone" };
const ACCOUNT_INFO = `query http://jabber.org/protocol/disco#info → bob@example.test`;
const ENABLE = `enable urn:xmpp:push:0 → (own account)`;

const NO_RESUMPTION = { server: { streamManagement: { enabled: false } } };

let chain: Chain;
const clients: Client[] = [];
afterEach(async () => {
  for (const xmpp of clients.splice(0)) xmpp.reconnect.stop();
  await chain?.close();
});

/** A launch of the app: a new connection with a new PushClient over `store`, made before `start()`. */
async function launch(store: MemoryStore): Promise<{ xmpp: Client; push: PushClient; iqs: IqRecording }> {
  const xmpp = asClient(chain.server.client({ username: "bob", password: "pw", resource: "phone" }));
  xmpp.on("error", () => {});
  clients.push(xmpp);
  const iqs = recordIqs(xmpp);
  const push = new PushClient(xmpp, { store });
  await xmpp.start();
  return { xmpp, push, iqs };
}

/** What the app does at every launch. */
async function subscribeIfSupported(push: PushClient): Promise<void> {
  expect(await push.isSupported({ appServer: APP_SERVER })).toBe(true);
  await push.subscribe(DEVICE);
}

/** Drops the socket; the client reconnects by itself, and the session is a fresh one. */
async function reconnect(xmpp: Client): Promise<void> {
  xmpp.reconnect.delay = 0;
  const online = new Promise((resolve) => xmpp.once("online", resolve));
  cutSocket(xmpp);
  await online;
}

/** The first launch subscribes and the app quits. */
async function firstLaunch(store: MemoryStore): Promise<void> {
  chain = createChain(NO_RESUMPTION);
  const first = await launch(store);
  await subscribeIfSupported(first.push);
  await goOffline(chain, first.xmpp);
}

/** A launch that subscribed, then its connection drops and comes back; the IQs are recorded from the drop on. */
async function subscribedThenReconnected(): Promise<{ push: PushClient; iqs: IqRecording; reenabled: Promise<unknown> }> {
  chain = createChain(NO_RESUMPTION);
  const { xmpp, push } = await launch(new MemoryStore());
  await subscribeIfSupported(push);
  const iqs = recordIqs(xmpp);
  const reenabled = nextEvent(push, "enabled");
  await reconnect(xmpp);
  return { push, iqs, reenabled };
}

describe("IQ round trips per launch case (issue 12)", () => {
  it("first launch: the account's and the app server's discovery together, register, enable — 3 round trips", async () => {
    chain = createChain(NO_RESUMPTION);
    const { push, iqs } = await launch(new MemoryStore());
    await subscribeIfSupported(push);
    expect(describeRequests(iqs.requests)).toEqual([
      `query http://jabber.org/protocol/disco#info → ${APP_SERVER}`,
      `query http://jabber.org/protocol/disco#items http://jabber.org/protocol/commands → ${APP_SERVER}`,
      ACCOUNT_INFO,
      `command http://jabber.org/protocol/commands register-push-fcm → ${APP_SERVER}`,
      ENABLE,
    ]);
    expect(iqs.roundTrips).toBe(3);
    expect(chain.server.registrations("bob")).toHaveLength(1);
  });

  it("later launch: a new PushClient over the same store on a new connection — 1 round trip, the enable", async () => {
    const store = new MemoryStore();
    await firstLaunch(store);

    const { push, iqs } = await launch(store);
    await subscribeIfSupported(push);
    expect(describeRequests(iqs.requests)).toEqual([ENABLE]);
    expect(iqs.roundTrips).toBe(1);
    expect(chain.server.registrations("bob")).toHaveLength(1);
  });

  it("reconnect: the same PushClient enables its registration again on the fresh session — 1 round trip", async () => {
    const { iqs, reenabled } = await subscribedThenReconnected();
    await reenabled;
    expect(describeRequests(iqs.requests)).toEqual([ENABLE]);
    expect(iqs.roundTrips).toBe(1);
  });

  it("reconnect + subscribe(): the app subscribing again after the reconnect sends no second enable — 1 round trip", async () => {
    const { push, iqs } = await subscribedThenReconnected();
    await subscribeIfSupported(push);
    expect(describeRequests(iqs.requests)).toEqual([ENABLE]);
    expect(iqs.roundTrips).toBe(1);
    expect(chain.server.registrations("bob")).toHaveLength(1);
  });

  it("later launch with the PushClient made after start(): no re-enable ran, so subscribe() sends the one enable", async () => {
    const store = new MemoryStore();
    await firstLaunch(store);

    const xmpp = await chain.connect("bob", "phone");
    const iqs = recordIqs(xmpp, { fromNextOnline: false });
    await subscribeIfSupported(new PushClient(xmpp, { store }));
    expect(describeRequests(iqs.requests)).toEqual([ENABLE]);
    expect(iqs.roundTrips).toBe(1);
  });

  it("an enable that changed since the re-enable (new push options) is sent again", async () => {
    const { push, iqs } = await subscribedThenReconnected();
    await push.subscribe({ ...DEVICE, pushOptions: { includeMessageBodies: false } });
    expect(describeRequests(iqs.requests)).toEqual([ENABLE, ENABLE]);
    expect(iqs.requests[1]!.toString()).toContain(PUSH_OPTIONS_FORM_TYPE);
  });

  it("an app server whose early discovery fails: isSupported() still answers, subscribe() reports the failure", async () => {
    chain = createChain(NO_RESUMPTION);
    const { push } = await launch(new MemoryStore());
    expect(await push.isSupported({ appServer: "nowhere.example.test" })).toBe(true);
    const error = await rejection(push.subscribe({ ...DEVICE, appServer: "nowhere.example.test" }));
    expect(error.condition).not.toBe("timeout");
    expect(await push.registrations()).toEqual([]);
  });
});

describe("a resumed session (issue 12)", () => {
  it("a connection that resumes its XEP-0198 session enables nothing again, and subscribe() after it sends nothing — 0 round trips", async () => {
    chain = createChain();
    const { xmpp, push } = await launch(new MemoryStore());
    await subscribeIfSupported(push);
    const iqs = recordIqs(xmpp, { fromNextOnline: false });
    const resumed = nextEvent(chain.server, "resumed");
    xmpp.reconnect.delay = 0;
    cutSocket(xmpp);
    expect(await resumed).toEqual(["bob@example.test/phone"]);
    await subscribeIfSupported(push);
    // The server still holds the registration the session enabled: no enable, no discovery.
    expect(describeRequests(iqs.requests)).toEqual([]);
    expect(iqs.roundTrips).toBe(0);
    expect(chain.server.registrations("bob")).toHaveLength(1);
  });
});

describe("a stale support cache (issue 12)", () => {
  it("a cached 'supported' the server now refuses fails subscribe() with the server's PushError and is dropped", async () => {
    chain = createChain();
    const store = new MemoryStore();
    const first = await launch(store);
    await subscribeIfSupported(first.push);
    expect((await store.list())[0]?.accountFeatures).toContain(NS.push);

    // The account's server lost XEP-0357 (a downgrade, a module switched off).
    const asked: string[] = [];
    const withoutPush = new PushClient(
      {
        jid: { toString: () => "bob@example.test/phone" },
        iqCaller: {
          request: async (iq: Element) => {
            const payload = iq.getChildElements()[0]!;
            asked.push(payload.name);
            if (payload.is("query", NS.discoInfo)) return xml("iq", { type: "result" }, buildDiscoInfo({ identities: [], features: [NS.discoInfo], forms: [] }));
            throw Object.assign(new Error("service-unavailable"), { name: "StanzaError", element: xml("error", { type: "cancel" }, xml("service-unavailable", { xmlns: NS.stanzas })) });
          },
        },
        on: () => undefined,
      },
      { store, timeout: 500 },
    );
    expect(await withoutPush.isSupported()).toBe(true);
    expect(asked).toEqual([]);

    const error = await rejection(withoutPush.subscribe(DEVICE));
    expect(error.condition).toBe("service-unavailable");
    expect((await store.list()).map((registration) => registration.accountFeatures)).toEqual([undefined]);
    expect(await withoutPush.isSupported()).toBe(false);
    expect(asked).toEqual(["enable", "query"]);
  });
});
