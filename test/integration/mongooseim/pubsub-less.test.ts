import { afterEach, describe, expect, it } from "vitest";
import type { PushServiceNotification } from "../../../src/sim/index.js";
import { chat, goOffline, nextEvent } from "../../helpers/chain.js";
import { rejection } from "../../helpers/push-error.js";
import { createIq, listeningComponent, type MongooseChain, mongooseChain, request, VIRTUAL } from "./setup.js";

let chain: MongooseChain;
afterEach(async () => {
  await chain?.close();
});

function pubsubLess(answer: (notification: PushServiceNotification) => void | { error: string } = () => undefined) {
  const notifications: PushServiceNotification[] = [];
  chain = mongooseChain({
    push: {
      virtualPubsubHosts: [VIRTUAL],
      pushService: (notification) => {
        notifications.push(notification);
        return answer(notification);
      },
    },
  });
  return notifications;
}

async function bobSubscribesVirtually() {
  const bob = await chain.device("bob");
  const registration = await bob.push.subscribe({ appServer: VIRTUAL, dialect: "mongooseim", virtualPubsubHost: true, provider: "fcm", token: "bob-fcm" });
  await goOffline(chain, bob.xmpp);
  const alice = await chain.connect("alice", "laptop");
  return { bob, alice, registration };
}

describe("MongooseIM PubSub-less: virtual pubsub hosts (seed 004, MG4)", () => {
  it('004: "They only have to provide the virtual PubSub address in the enable stanza, and node name can be anything unique." — no node is created, the token goes as publish-options, the push service gets it', async () => {
    const notifications = pubsubLess();
    const { alice, registration } = await bobSubscribesVirtually();
    expect(registration).toMatchObject({ jid: VIRTUAL, virtualPubsubHost: true, publishOptions: { device_id: "bob-fcm", service: "fcm" } });
    expect(chain.pubsub.nodes()).toEqual([]);

    const answered = nextEvent(chain.server, "publish-result");
    await alice.send(chat("bob@example.test", "Hi"));
    await answered;
    expect(notifications).toEqual([
      {
        account: "bob@example.test",
        jid: VIRTUAL,
        node: registration.node,
        summary: { messageCount: 1, lastMessageSender: "alice@example.test", lastMessageBody: "Hi" },
        publishOptions: { device_id: "bob-fcm", service: "fcm" },
      },
    ]);
  });

  it('004: "These domains will shadow any identical domain configured for PubSub, stealing any notification published to it." — a component at the same domain receives nothing, the registration survives', async () => {
    const notifications = pubsubLess();
    const shadowed = listeningComponent(VIRTUAL);
    chain.server.attach(shadowed);
    const { alice } = await bobSubscribesVirtually();
    for (const text of ["one", "two"]) {
      const answered = nextEvent(chain.server, "publish-result");
      await alice.send(chat("bob@example.test", text));
      await answered;
    }
    expect(notifications.map((notification) => notification.summary.lastMessageBody)).toEqual(["one", "two"]);
    expect(shadowed.received).toEqual([]);
    expect(chain.server.registrations("bob")).toHaveLength(1);
  });

  it('004: "if they attempt to do so, and PubSub is not configured, the server would respond with an error stanza" — a <create/> to the virtual host errors', async () => {
    pubsubLess();
    const bob = await chain.connect("bob");
    const error = await rejection(request(bob, createIq(VIRTUAL, "node")));
    expect(error.condition).toBe("remote-server-not-found");
  });

  it("only device-not-registered disables (mod_event_pusher_push_plugin_defaults publish_via_hook); other push service errors keep the registration", async () => {
    let answer: { error: string } = { error: "connection_refused" };
    pubsubLess(() => answer);
    const { alice } = await bobSubscribesVirtually();
    let failed = nextEvent(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "a"));
    expect((await failed)[2]).toBe(false);
    expect(chain.server.registrations("bob")).toHaveLength(1);

    answer = { error: "device-not-registered" };
    failed = nextEvent(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "b"));
    expect((await failed)[2]).toBe(true);
    expect(chain.server.registrations("bob")).toEqual([]);
  });

  it("unsubscribe disables and sends nothing to the virtual host", async () => {
    pubsubLess();
    const shadowed = listeningComponent(VIRTUAL);
    chain.server.attach(shadowed);
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: VIRTUAL, dialect: "mongooseim", virtualPubsubHost: true, provider: "apns", token: "t" });
    const report = await bob.push.unsubscribe();
    expect(report.errors).toEqual([]);
    expect(chain.server.registrations("bob")).toEqual([]);
    expect(shadowed.received).toEqual([]);
  });
});
