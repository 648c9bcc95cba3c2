/**
 * The Tigase groupchat filter (TS6) on the group chats of a real room: bob asks to be pushed for
 * the room only when his nick is mentioned. Four members: alice writes, carol is joined, bob is
 * offline with push (filter `mentioned`), dave is offline with push and no filter.
 */
import { afterEach, describe, expect, it } from "vitest";
import { APP_SERVER, goOffline, waitFor } from "../../helpers/chain.js";
import { createMucChain, groupchat, type MucChain, openRoom, ROOM, waitForCount } from "./setup.js";

let chain: MucChain;
afterEach(async () => {
  await chain?.close();
});

async function room() {
  chain = createMucChain({ offlineDelivery: true }, { preset: "tigase" });
  const { alice, carolSees } = await openRoom(chain);

  const bob = await chain.device("bob");
  const bobs = await bob.push.subscribe({
    appServer: APP_SERVER,
    provider: "fcm",
    token: "bob-token",
    tigase: { groupchat: [{ room: ROOM, allow: "mentioned", nick: "bob" }] },
  });
  await goOffline(chain, bob.xmpp);
  const dave = await chain.device("dave");
  const daves = await dave.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "dave-token" });
  await goOffline(chain, dave.xmpp);
  return { alice, carolSees, bobNode: bobs.node, daveNode: daves.node };
}

describe("TS6 with a real room: `mentioned` pushes only messages naming the member's nick", () => {
  it("a message without bob's nick pushes dave only; one naming bob pushes both; carol (joined) and alice (the sender) never", async () => {
    const { alice, carolSees, bobNode, daveNode } = await room();
    const deliveries = chain.appServer.deliveries;

    await alice.send(groupchat("lunch?"));
    await alice.send(groupchat("bob, lunch?"));
    // A last message naming bob: had "lunch?" pushed to bob, that push would have come before this one (the room sends in order).
    await alice.send(groupchat("bob, last call"));
    await waitForCount(carolSees, 3, "carol's copies");
    await waitFor(() => deliveries.filter((delivery) => delivery.node === daveNode).length === 3, 3000, "dave's three pushes");
    await waitFor(() => deliveries.some((delivery) => delivery.node === bobNode && delivery.summary.lastMessageBody === "bob, last call"), 3000, "bob's last push");

    const bodiesTo = (node: string) => deliveries.filter((delivery) => delivery.node === node).map((delivery) => delivery.summary.lastMessageBody);
    expect(bodiesTo(bobNode)).toEqual(["bob, lunch?", "bob, last call"]);
    expect(bodiesTo(daveNode)).toEqual(["lunch?", "bob, lunch?", "bob, last call"]);
    expect(deliveries.every((delivery) => delivery.owner === "bob@example.test" || delivery.owner === "dave@example.test")).toBe(true);
  });
});
