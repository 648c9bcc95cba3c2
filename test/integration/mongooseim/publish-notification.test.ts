import type { Element } from "../../../src/protocol/index.js";
import { afterEach, describe, expect, it } from "vitest";
import type { PushRegistration } from "../../../src/sim/index.js";
import { chat, goOffline, record, waitFor } from "../../helpers/chain.js";
import { type MongooseChain, mongooseChain, PUBSUB } from "./setup.js";

let chain: MongooseChain;
afterEach(async () => {
  await chain?.close();
});

describe("MongooseIM's plugin hooks (seed 002, MG5)", () => {
  it('002: "publish_notification/5 - does the actual push. By default it pushes to the registered pubsub nodes." — a publishNotification replaces the publish', async () => {
    const calls: { from: string; to: string; body: string | undefined; registrations: PushRegistration[] }[] = [];
    chain = mongooseChain({
      push: {
        publishNotification: (from, to, stanza: Element, registrations) =>
          void calls.push({ from, to, body: stanza.getChildText("body") ?? undefined, registrations: [...registrations] }),
      },
    });
    const bob = await chain.device("bob");
    const registration = await bob.push.subscribe({ appServer: PUBSUB, provider: "fcm", token: "t" });
    await goOffline(chain, bob.xmpp);
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "Hi"));
    await waitFor(() => calls.length === 1);
    expect(calls).toMatchObject([{ from: "alice@example.test/laptop", to: "bob@example.test", body: "Hi", registrations: [{ jid: PUBSUB, node: registration.node }] }]);
    expect(published).toEqual([]);
    expect(chain.pubsub.deliveries).toEqual([]);
  });

  it('002: "A push notification is triggered for given a message only if this callback returns true." — shouldPublish false: publishNotification is not called', async () => {
    const calls: string[] = [];
    chain = mongooseChain({
      push: { shouldPublish: (_from, _to, stanza) => stanza.getChildText("body") !== "quiet", publishNotification: (_from, _to, stanza) => void calls.push(stanza.getChildText("body") ?? "") },
    });
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: PUBSUB, provider: "fcm", token: "t" });
    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice");
    await alice.send(chat("bob@example.test", "quiet"));
    await alice.send(chat("bob@example.test", "loud"));
    await waitFor(() => calls.length === 1);
    expect(calls).toEqual(["loud"]);
  });
});
