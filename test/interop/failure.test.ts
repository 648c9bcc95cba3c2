import { type Client, xml } from "@xmpp/client";
import { beforeEach, expect, it } from "vitest";
import { type Element, NS, PushClient, PushError } from "../../src/index.js";
import { PUSH_JID, SCENARIOS } from "./shared.js";
import { chat, deliveredTo, enabledDevice, goOffline, jidOf, resetAccounts } from "./support/flows.js";
import { note } from "./support/observe.js";
import { forEachTarget } from "./support/suite.js";
import type { Target } from "./support/target.js";
import { waitFor, withTimeout } from "./support/wait.js";

const REQUEST_TIMEOUT = 2_000;

/** Every IQ reply `xmpp` receives, by id. */
function countReplies(xmpp: Client): Map<string, number> {
  const replies = new Map<string, number>();
  xmpp.on("stanza", (stanza: Element) => {
    if (stanza.is("iq") && (stanza.attrs.type === "result" || stanza.attrs.type === "error")) {
      replies.set(stanza.attrs.id, (replies.get(stanza.attrs.id) ?? 0) + 1);
    }
  });
  return replies;
}

/** Sends a request and resolves with the error condition of the reply ("result" if it succeeded). */
async function conditionOf(xmpp: Client, iq: Element): Promise<string> {
  try {
    await xmpp.iqCaller.request(iq, 10_000);
    return "result";
  } catch (error) {
    return (error as { condition?: string }).condition ?? String(error);
  }
}

const publishIq = (id: string, ...publishChildren: Element[]): Element =>
  xml("iq", { type: "set", to: PUSH_JID, id }, xml("pubsub", { xmlns: NS.pubsub }, xml("publish", { node: "no-such-node" }, ...publishChildren)));

forEachTarget((name, targetOf) => {
  let target: Target;
  beforeEach(() => {
    target = targetOf();
  });

  it(SCENARIOS.malformed, async () => {
    const alice = await target.connect("alice", "laptop");
    const replies = countReplies(alice);
    const withoutItem = await conditionOf(alice, publishIq("no-item"));
    const withoutNotification = await conditionOf(alice, publishIq("no-notification", xml("item", {}, xml("payload", { xmlns: "urn:example" }))));
    const twoPayloads = await conditionOf(alice, xml("iq", { type: "set", to: PUSH_JID, id: "two-payloads" }, xml("pubsub", { xmlns: NS.pubsub }), xml("pubsub", { xmlns: NS.pubsub })));

    expect([withoutItem, withoutNotification, twoPayloads]).toEqual(["bad-request", "bad-request", "bad-request"]);
    // The app server still works, and (the same path, in order) no second reply came for any request.
    const push = new PushClient(alice, { timeout: 10_000, reenable: false });
    const info = await push.discover(PUSH_JID);
    expect(info.identities).toContainEqual(expect.objectContaining({ category: "pubsub", type: "push" }));
    expect(["no-item", "no-notification", "two-payloads"].map((id) => replies.get(id))).toEqual([1, 1, 1]);
  });

  it(SCENARIOS.killed, async () => {
    const bob = await target.connect("bob", "phone");
    const push = new PushClient(bob, { timeout: REQUEST_TIMEOUT, reenable: false });
    target.tap.hold(true);
    try {
      const requestsBefore = target.tap.received.length;
      const started = Date.now();
      const pending = push.discover(PUSH_JID).then(
        () => undefined,
        (error: unknown) => error,
      );
      // The request has reached the app server, which holds it unanswered: it is pending.
      await waitFor(() => target.tap.received.length > requestsBefore, "the request at the app server");
      await target.kill();
      const error = await withTimeout(pending, REQUEST_TIMEOUT + 2_000, "the pending request to settle");
      const elapsed = Date.now() - started;

      expect(error).toBeInstanceOf(PushError);
      expect(["disconnected", "timeout"]).toContain((error as PushError).condition);
      expect(elapsed).toBeLessThan(REQUEST_TIMEOUT + 2_000);
      note(name, SCENARIOS.killed, "seen", `rejected with '${(error as PushError).condition}' after ${elapsed} ms (timeout ${REQUEST_TIMEOUT} ms)`);
    } finally {
      target.tap.hold(false);
      await target.disconnectAll();
      await target.revive();
    }
  });

  it.skipIf(name === "reference")(SCENARIOS.linkDrop, async () => {
    await resetAccounts(target);
    target.clearRecords();
    const before = await enabledDevice(target, "bob", "phone");
    await goOffline(before);
    await target.disconnectAll();
    const link = target.link!;
    const offline = new Promise<void>((resolve) => link.once("offline", () => resolve()));
    await target.kill();
    await withTimeout(offline, 10_000, "the link to notice the server is gone");
    expect(link.status).not.toBe("online");

    await target.revive();
    expect(link.status).toBe("online");
    // A registration made after the restart delivers through the new link.
    const carol = await enabledDevice(target, "carol", "after-restart");
    await goOffline(carol);
    const alice = await target.connect("alice", "laptop");
    await alice.send(chat(jidOf("bob"), "did your registration survive?"));
    await alice.send(chat(jidOf("carol"), "after the restart"));
    await deliveredTo(target, carol.registration.node, 1);
    // Sent first, so handled by now if at all.
    const survived = target.tap.publishesTo(before.registration.node).length > 0;
    note(name, SCENARIOS.linkDrop, "seen", `bob's push registration ${survived ? "survived" : "did not survive"} the restart after SIGKILL`);
  });
});
