import { xml } from "@xmpp/client";
import { beforeEach, expect, it } from "vitest";
import { SCENARIOS } from "./shared.js";
import { chat, deliveredTo, enabledDevice, jidOf, prepare } from "./support/flows.js";
import { note } from "./support/observe.js";
import { forEachTarget } from "./support/suite.js";
import type { Target } from "./support/target.js";
import { waitFor, withTimeout } from "./support/wait.js";

const BOB = jidOf("bob");

forEachTarget((name, targetOf) => {
  let target: Target;
  beforeEach(() => {
    target = targetOf();
  });

  it(SCENARIOS.hibernation, async () => {
    const { alice } = await prepare(target);
    const bob = await enabledDevice(target, "bob", "phone");
    await waitFor(() => bob.xmpp.streamManagement.enabled, "stream management on", 10_000);
    await bob.xmpp.send(xml("presence"));
    const received: string[] = [];
    bob.xmpp.on("stanza", (stanza) => {
      if (stanza.is("message") && stanza.getChildText("body")) received.push(stanza.getChildText("body") ?? "");
    });

    // The network goes away: the socket closes without a stream close, so the session hibernates.
    (bob.xmpp as unknown as { socket: { end(): void } }).socket.end();
    await waitFor(() => bob.xmpp.status === "disconnect", "bob's socket closed", 10_000);
    const closedAt = Date.now();
    await target.hibernated(`${BOB}/phone`);
    const heldAfter = Date.now() - closedAt;

    const sentAt = Date.now();
    await alice.send(chat(BOB, "while you were away"));
    const [delivery] = await deliveredTo(target, bob.registration.node, 1);
    note(name, SCENARIOS.hibernation, "seen", `push ${Date.now() - sentAt} ms after the send; summary ${JSON.stringify(delivery?.summary)}`);
    // ejabberd sometimes blocks on a send to the closing WebSocket for its 15 s send timeout first.
    if (heldAfter > 1_000) note(name, SCENARIOS.hibernation, "seen", `the session was held for resumption only ${heldAfter} ms after the socket closed`);

    let freshSession = false;
    bob.xmpp.once("online", () => {
      freshSession = true;
    });
    await withTimeout(bob.xmpp.reconnect.reconnect(), 15_000, "bob resumes");
    await waitFor(() => received.includes("while you were away"), "the queued message after resumption", 15_000);
    expect(freshSession).toBe(false);
  });
});
