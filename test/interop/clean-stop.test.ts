import { type Client, xml } from "@xmpp/client";
import { beforeEach, expect, it } from "vitest";
import { buildIq } from "../../src/index.js";
import { DOMAIN, SCENARIOS } from "./shared.js";
import { chat, deliveriesTo, enabledDevice, goOffline, jidOf, prepare } from "./support/flows.js";
import { note } from "./support/observe.js";
import { forEachTarget } from "./support/suite.js";
import type { Target } from "./support/target.js";
import { waitFor, withTimeout } from "./support/wait.js";

const BOB = jidOf("bob");

/**
 * bob (the only session of his account) registers and enables push (IQs), reads a message from
 * alice and logs out cleanly. Then: how many pushes went to his node after the logout, and what
 * his next login receives as offline messages.
 */
async function readThenStop(target: Target, streamManagementFix?: false): Promise<{ pushedAfterStop: number; offline: string[] }> {
  const { alice, sentinel } = await prepare(target);
  const bob = await enabledDevice(target, "bob", "phone", streamManagementFix === false ? { streamManagementFix } : {});
  expect(await bob.push.isSupported()).toBe(true);
  await waitFor(() => bob.xmpp.streamManagement.enabled, "stream management on", 10_000);
  await bob.xmpp.send(xml("presence"));
  const received = bodies(bob.xmpp);
  await alice.send(chat(BOB, "already read"));
  await waitFor(() => received.includes("already read"), "bob reads the message", 15_000);
  const pushedBefore = deliveriesTo(target, bob.registration.node).length;
  await goOffline(bob);
  // The server re-handles what bob left unacknowledged while his session ends, before it reads
  // alice's next message: once the sentinel's push is delivered, bob's would have been too.
  await sentinel.pass(alice);
  const pushedAfterStop = deliveriesTo(target, bob.registration.node).length - pushedBefore;

  const tablet = await target.connect("bob", "tablet");
  const offline = bodies(tablet);
  await tablet.send(xml("presence"));
  // Answered after the presence is handled, so after the offline messages it releases.
  await withTimeout(tablet.iqCaller.request(buildIq({ type: "get", to: DOMAIN }, xml("ping", { xmlns: "urn:xmpp:ping" }))), 10_000, "ping");
  return { pushedAfterStop, offline };
}

function bodies(xmpp: Client): string[] {
  const seen: string[] = [];
  xmpp.on("stanza", (stanza) => {
    const body = stanza.is("message") ? stanza.getChildText("body") : null;
    if (body) seen.push(body);
  });
  return seen;
}

forEachTarget((name, targetOf) => {
  let target: Target;
  beforeEach(() => {
    target = targetOf();
  });

  it(SCENARIOS.cleanStop, async () => {
    expect(await readThenStop(target)).toEqual({ pushedAfterStop: 0, offline: [] });
  });

  it(SCENARIOS.cleanStopUncorrected, async () => {
    const outcome = await readThenStop(target, false);
    note(name, SCENARIOS.cleanStopUncorrected, "seen", `pushes after the stop: ${outcome.pushedAfterStop}; offline at the next login: ${JSON.stringify(outcome.offline)}`);
    expect(outcome).toEqual({ pushedAfterStop: 1, offline: ["already read"] });
  });
});
