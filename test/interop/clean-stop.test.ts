import { type Client, xml } from "@xmpp/client";
import { beforeEach, expect, it } from "vitest";
import { PushClient } from "../../src/index.js";
import { SCENARIOS } from "./shared.js";
import { chat, deliveriesTo, enabledDevice, goOffline, jidOf, prepare } from "./support/flows.js";
import { note } from "./support/observe.js";
import { forEachTarget } from "./support/suite.js";
import type { Target } from "./support/target.js";
import { waitFor } from "./support/wait.js";

const BOB = jidOf("bob");

/**
 * C17: bob (the only session of his account) registers and enables push (IQs), reads a message from
 * alice and logs out cleanly. Then: how many pushes went to his node after the logout, and what
 * his next login receives as offline messages.
 */
async function readThenStop(target: Target, streamManagementFix?: false): Promise<{ pushedAfterStop: number; offline: string[] }> {
  const { alice, sentinel } = await prepare(target);
  await offlineAtLogin(target, "flush");
  const bob = await enabledDevice(target, "bob", "phone", streamManagementFix === false ? { streamManagementFix } : {});
  await waitFor(() => bob.xmpp.streamManagement.enabled, "stream management on", 10_000);
  await bob.xmpp.send(xml("presence"));
  // Answered once the presence is handled: alice's message then finds bob available, not offline.
  expect(await bob.push.isSupported()).toBe(true);
  const received = bodies(bob.xmpp);
  await alice.send(chat(BOB, "already read"));
  await waitFor(() => received.includes("already read"), "bob reads the message", 15_000);
  const pushedBefore = deliveriesTo(target, bob.registration.node).length;
  await goOffline(bob);
  // The server re-handles what bob left unacknowledged while his session ends, before it reads
  // alice's next message: once the sentinel's push is delivered, bob's would have been too.
  await sentinel.pass(alice);
  const pushedAfterStop = deliveriesTo(target, bob.registration.node).length - pushedBefore;
  return { pushedAfterStop, offline: await offlineAtLogin(target, "tablet") };
}

/** The offline messages a login of bob's receives (and so takes out of offline storage). */
async function offlineAtLogin(target: Target, resource: string): Promise<string[]> {
  const xmpp = await target.connect("bob", resource);
  const push = new PushClient(xmpp, { reenable: false });
  const offline = bodies(xmpp);
  await xmpp.send(xml("presence"));
  // Answered after the presence is handled, so after the offline messages it releases.
  await push.isSupported();
  await goOffline({ xmpp });
  return offline;
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
