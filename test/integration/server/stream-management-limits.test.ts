/**
 * XEP-0198 limits of the reference server: a client that never acknowledges cannot make the
 * server hold its stanzas without bound; what it did not acknowledge is not lost.
 */

import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { createXmppServer, type XmppServer } from "../../../src/sim/index.js";
import { chat, nextEvent, waitFor } from "../../helpers/chain.js";

const NS_SM = "urn:xmpp:sm:3";
let server: XmppServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const xmpp of clients.splice(0)) {
    xmpp.reconnect.stop();
    if (xmpp.status !== "offline" && xmpp.status !== "disconnect") await xmpp.stop().catch(() => undefined);
  }
  await server?.close();
});

async function connect(username: string): Promise<{ xmpp: Client; errors: Array<Error & { condition?: string }> }> {
  const xmpp = server.client({ username, password: "pw", resource: "r" });
  const errors: Array<Error & { condition?: string }> = [];
  xmpp.on("error", (error) => errors.push(error));
  clients.push(xmpp);
  await xmpp.start();
  await waitFor(() => xmpp.streamManagement.enabled, 3000, "stream management on");
  return { xmpp, errors };
}

describe("XEP-0198 queue limit (maxQueueSize)", () => {
  it("a live session with more unacknowledged stanzas than the limit ends with policy-violation; its messages go offline", async () => {
    server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" }, streamManagement: { maxQueueSize: 3 } });
    const bob = await connect("bob");
    // bob reads everything but never acknowledges.
    bob.xmpp.middleware.filter((context, next) => (context.stanza.is("a", NS_SM) ? undefined : next()));
    bob.xmpp.reconnect.stop();
    await bob.xmpp.send(xml("presence"));
    const alice = await connect("alice");
    const offline = nextEvent(server, "offline");
    for (const body of ["1", "2", "3", "4"]) await alice.xmpp.send(chat("bob@example.test", body));
    expect(await offline).toEqual(["bob@example.test/r"]);
    await waitFor(() => bob.errors.length > 0, 3000, "bob's stream error");
    expect(bob.errors.map((error) => error.condition)).toEqual(["policy-violation"]);
    expect(server.offlineMessages("bob").map((message) => message.getChildText("body"))).toEqual(["1", "2", "3", "4"]);
  });
});
