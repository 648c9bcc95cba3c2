/**
 * Seed 003: "App servers are notified about … messages waiting in the smacks queue" — a
 * groupchat message too, when mod_cloud_notify's `is_important` says it is.
 */
import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { afterRoundTrip, deliveredAll, nextEvent, record, waitFor } from "../../helpers/chain.js";
import { cutSocket } from "../../helpers/client-socket.js";
import { prosody, type ProsodySetup } from "./setup.js";

let setup: ProsodySetup;
afterEach(() => setup?.close());

/** bob's phone subscribes, sends presence and loses its connection: the session hibernates. alice is online. */
async function hibernatedPhoneAndAlice(): Promise<Client> {
  setup = prosody({ mam: false });
  const phone = await setup.subscribed("bob", "phone", "phone-token");
  await waitFor(() => phone.xmpp.streamManagement.enabled, 3000, "stream management");
  await phone.xmpp.send(xml("presence"));
  phone.xmpp.reconnect.stop();
  const hibernated = nextEvent(setup.server, "hibernated");
  cutSocket(phone.xmpp);
  await hibernated;
  return setup.connect("alice", "laptop");
}

/** A groupchat message as a MUC service would send it, to the occupant's full JID. */
function groupchat(children: ReturnType<typeof xml>[]): ReturnType<typeof xml> {
  return xml("message", { to: "bob@example.test/phone", type: "groupchat" }, ...children);
}

describe("groupchat in the smacks queue (seed 003)", () => {
  it('PT4 003: "messages waiting in the smacks queue": a groupchat message with a body pushes, as important', async () => {
    const alice = await hibernatedPhoneAndAlice();
    const delivered = nextEvent(setup.appServer, "delivered");
    await alice.send(groupchat([xml("body", {}, "hello room")]));
    const [delivery] = await delivered;
    expect(delivery).toMatchObject({ token: "phone-token", summary: { lastMessageBody: "New Message!" } });
  });

  it("PT4 003: a groupchat subject change is not important and does not push", async () => {
    const alice = await hibernatedPhoneAndAlice();
    const published = record(setup.server, "published");
    await alice.send(groupchat([xml("subject", {}, "new topic"), xml("body", {}, "alice changed the subject")]));
    // Sentinel: alice's round trip, answered after her message was queued and any publish of it sent; then all of them delivered.
    await afterRoundTrip(alice);
    await deliveredAll(setup.appServer, () => published.length);
    expect(setup.appServer.deliveries).toEqual([]);
  });
});
