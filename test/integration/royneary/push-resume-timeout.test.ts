import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { PushClient } from "../../../src/index.js";
import { createAppServer, createXmppServer, type StreamManagementOptions, type XmppServer } from "../../../src/sim/index.js";
import { APP_SERVER, chat, nextEvent, waitFor } from "../../helpers/chain.js";
import { dropConnection as dropConnectionOf, ManagedClients } from "../../helpers/managed-clients.js";

let server: XmppServer;
const clients = new ManagedClients();
afterEach(async () => {
  await clients.stopAll();
  await server?.close();
});

function setup(options: { preset?: "royneary"; streamManagement: StreamManagementOptions }) {
  server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw", carol: "pw" }, ...options });
  const appServer = createAppServer({ jid: APP_SERVER });
  server.attach(appServer);
  return appServer;
}

async function connect(username: string, resource: string): Promise<Client> {
  const xmpp = await clients.connect(server, username, resource);
  await xmpp.send(xml("presence"));
  return xmpp;
}

const dropConnection = (xmpp: Client): Promise<void> => dropConnectionOf(server, xmpp);

/**
 * bob (push enabled) loses his connection first, carol (no push) after him. When carol's
 * session has ended at `resumeTimeout`, bob's — older — would have ended before hers.
 */
async function pushUserOutlivesResumeTimeout(appServer: ReturnType<typeof setup>) {
  const bob = await connect("bob", "phone");
  await new PushClient(bob).subscribe({ appServer: APP_SERVER, provider: "fcm", token: "bob-token" });
  const carol = await connect("carol", "phone");
  await dropConnection(bob);
  const carolGone = nextEvent(server, "offline");
  await dropConnection(carol);
  expect(await carolGone).toEqual(["carol@example.test/phone"]);
  expect(server.resources("bob")).toEqual(["bob@example.test/phone"]);

  // Still a push user's session: a message is queued for it and pushes, then the phone resumes.
  const alice = await connect("alice", "laptop");
  const delivered = nextEvent(appServer, "delivered");
  await alice.send(chat("bob@example.test", "still there?"));
  await delivered;
  const received: string[] = [];
  bob.on("stanza", (stanza) => {
    if (stanza.is("message")) received.push(stanza.getChildText("body") ?? "");
  });
  const resumed = nextEvent(server, "resumed");
  await bob.reconnect.reconnect();
  expect(await resumed).toEqual(["bob@example.test/phone"]);
  await waitFor(() => received.includes("still there?"), 3000, "the queued message");
}

describe('001: "the value has no effect on push users since mod_push overwrites this value to keep them pending for a long time"', () => {
  it("R5: a push user's session outlives resumeTimeout (streamManagement.pushResumeTimeout) and resumes", async () => {
    const appServer = setup({ streamManagement: { resumeTimeout: 40, pushResumeTimeout: 60_000 } });
    await pushUserOutlivesResumeTimeout(appServer);
  });

  it("R5: preset royneary keeps push users 100 days, whatever resumeTimeout says", async () => {
    const appServer = setup({ preset: "royneary", streamManagement: { resumeTimeout: 40 } });
    await pushUserOutlivesResumeTimeout(appServer);
  });
});
