import type { Client } from "@xmpp/client";
import { beforeEach, expect, it } from "vitest";
import { type Element, NS, PushClient, type PushError, type Registration } from "../../src/index.js";
import { cutSocket } from "../helpers/client-socket.js";
import { PUSH_JID, SCENARIOS } from "./shared.js";
import { chat, deliveredTo, goOffline, jidOf, prepare } from "./support/flows.js";
import { note } from "./support/observe.js";
import { forEachTarget } from "./support/suite.js";
import type { Target } from "./support/target.js";
import { waitFor, withTimeout } from "./support/wait.js";

/**
 * C30 against the real servers: an `unsubscribe()` whose steps were cut off leaves the
 * registration pending, the server keeps pushing for it meanwhile, and the next fresh session or
 * XEP-0198 resumption finishes the removal without the app asking.
 */

const BOB = jidOf("bob");

/** bob's phone as an app has it: `subscribe()` registered, enabled and stored the registration. */
async function subscribedPhone(target: Target): Promise<{ xmpp: Client; push: PushClient; registration: Registration; errors: PushError[] }> {
  const xmpp = await target.connect("bob", "phone");
  const push = new PushClient(xmpp, { timeout: 10_000 });
  const errors: PushError[] = [];
  push.on("error", (error) => errors.push(error));
  const registration = await push.subscribe({ appServer: PUSH_JID, provider: "fcm", token: "bob-phone-token", deviceId: "phone" });
  return { xmpp, push, registration, errors };
}

function heldAtAppServer(target: Target, node: string): boolean {
  return target.appServer.registrations().some((registration) => registration.node === node);
}

function isUnregisterFrom(jid: string): (stanza: Element) => boolean {
  return (stanza) => stanza.name === "iq" && stanza.attrs.from === jid && stanza.getChild("command", NS.commands)?.attrs.node === "unregister-push";
}

async function removalFinished(push: PushClient, registration: Registration): Promise<void> {
  await waitFor(async () => !(await push.store.list()).some((stored) => stored.id === registration.id), "the pending removal finished and forgotten", 15_000);
}

forEachTarget((name, targetOf) => {
  let target: Target;
  beforeEach(() => {
    target = targetOf();
    return () => target.tap.hold(false);
  });

  it(SCENARIOS.logoutOffline, async () => {
    const { alice, sentinel } = await prepare(target);
    const bob = await subscribedPhone(target);
    const node = bob.registration.node;
    // The logout comes when the network is already gone: neither request can go out.
    await goOffline(bob);
    const report = await bob.push.unsubscribe();
    expect(report.errors.map((error) => error.condition)).toEqual(["disconnected", "disconnected"]);
    expect(report.removed).toEqual([]);
    expect(report.pending.map((pending) => [pending.node, pending.pendingRemoval])).toEqual([[node, ["disable", "unregister"]]]);

    // What is pending is real: the server still pushes to the logged-out device.
    await alice.send(chat(BOB, "after the logout"));
    await deliveredTo(target, node, 1);
    expect(heldAtAppServer(target, node)).toBe(true);

    // The next session finishes it unasked: disabled at the server, unregistered at the app server, forgotten.
    const disabled: string[] = [];
    const unregistered: string[] = [];
    bob.push.on("disabled", (disable) => disabled.push(disable.node ?? "(all)"));
    bob.push.on("unregistered", (_appServer, nodes) => unregistered.push(...nodes));
    const errorsBefore = bob.errors.length;
    await withTimeout(bob.xmpp.start(), 15_000, "bob's fresh session");
    await removalFinished(bob.push, bob.registration);
    expect(disabled).toEqual([node]);
    expect(unregistered).toEqual([node]);
    expect(bob.errors.slice(errorsBefore)).toEqual([]);
    expect(heldAtAppServer(target, node)).toBe(false);

    await goOffline(bob);
    await alice.send(chat(BOB, "after the removal"));
    await sentinel.pass(alice);
    expect(target.tap.publishesTo(node)).toHaveLength(1);
  });

  it(SCENARIOS.removalResumed, async () => {
    const { alice, sentinel } = await prepare(target);
    const bob = await subscribedPhone(target);
    const node = bob.registration.node;
    await waitFor(() => bob.xmpp.streamManagement.enabled, "stream management on", 10_000);
    let freshSessions = 0;
    bob.xmpp.on("online", () => {
      freshSessions += 1;
    });

    // The disable is answered; the unregister reaches the app server's link but gets no answer
    // before the network goes: the drop cuts off that step, whether or not it happened.
    target.tap.hold(true);
    const unregisters = (): Element[] => target.tap.received.filter(isUnregisterFrom(`${BOB}/phone`));
    const unsubscribing = bob.push.unsubscribe();
    await waitFor(() => unregisters().length === 1, "the unregister at the app server's link", 10_000);
    cutSocket(bob.xmpp);
    const report = await unsubscribing;
    target.tap.hold(false);
    expect(report.errors.map((error) => error.condition)).toEqual(["disconnected"]);
    expect(report.pending.map((pending) => [pending.node, pending.pendingRemoval])).toEqual([[node, ["unregister"]]]);
    expect(heldAtAppServer(target, node)).toBe(true);

    await waitFor(() => bob.xmpp.status === "disconnect", "bob's socket closed", 10_000);
    await target.hibernated(`${BOB}/phone`);
    // @xmpp/stream-management emits `resumed` (its typings leave the emitter out).
    const streamManagement = bob.xmpp.streamManagement as unknown as { once(event: "resumed", listener: () => void): void };
    const resumed = new Promise<void>((resolve) => streamManagement.once("resumed", resolve));
    const errorsBefore = bob.errors.length;
    await withTimeout(bob.xmpp.reconnect.reconnect(), 15_000, "bob resumes");
    await withTimeout(resumed, 15_000, "streamManagement resumed");
    await removalFinished(bob.push, bob.registration);
    expect(freshSessions).toBe(0);
    expect(bob.errors.slice(errorsBefore)).toEqual([]);
    expect(heldAtAppServer(target, node)).toBe(false);
    // Whether the client sent the cut-off request again on resumption (the server's <resumed h> says whether it had it) or only the retry went.
    note(name, SCENARIOS.removalResumed, "seen", `unregister commands from bob/phone on the app server's link: ${unregisters().length}, the cut-off one included`);

    await goOffline(bob);
    await alice.send(chat(BOB, "after the removal"));
    await sentinel.pass(alice);
    expect(target.tap.publishesTo(node)).toHaveLength(0);
  });
});
