// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encodePushPayload, type PushPayload } from "../../src/protocol/push-payload.js";
import { DEFAULT_GENERIC_BODY, DEFAULT_TITLE, handlePush, type PushEventLike } from "../../src/sw/index.js";
import { sleep } from "../helpers/wait.js";

/** `self.registration` of the fake service worker scope. */
let showNotification: ReturnType<typeof vi.fn<(title: string, options?: NotificationOptions) => Promise<void>>>;
beforeEach(() => {
  showNotification = vi.fn(async () => undefined);
  vi.stubGlobal("registration", { scope: "https://app.example/chat/", showNotification });
});
afterEach(() => vi.unstubAllGlobals());

function pushEvent(data: { text(): string } | null) {
  const event = { data, waitUntil: vi.fn<(promise: Promise<unknown>) => void>() };
  return event satisfies PushEventLike;
}
const textData = (text: string) => ({ text: () => text });
const payload = (summary: PushPayload["summary"], extra: Partial<PushPayload> = {}): string => encodePushPayload({ v: 1, node: "node-1", summary, ...extra });

describe("handlePush", () => {
  it("shows the sender and the body, tagged by the conversation, inside event.waitUntil", async () => {
    const event = pushEvent(textData(payload({ messageCount: 1, lastMessageSender: "juliet@capulet.example/balcony", lastMessageBody: "Wherefore art thou?" }, { account: "romeo@montague.example" })));
    const shown = handlePush(event);
    expect(event.waitUntil).toHaveBeenCalledTimes(1); // synchronously, while the event is dispatched
    expect(event.waitUntil.mock.calls[0]![0]).toBe(shown);
    await shown;
    expect(showNotification).toHaveBeenCalledWith("juliet@capulet.example", {
      body: "Wherefore art thou?",
      tag: "juliet@capulet.example",
      renotify: true,
      data: { xmppPush: 1, node: "node-1", account: "romeo@montague.example", chat: "juliet@capulet.example" },
    });
  });

  it("shows the generic line when the server left sender and body out, tagged by the node", async () => {
    await handlePush(pushEvent(textData(payload({ messageCount: 3 }))));
    expect(showNotification).toHaveBeenCalledWith(DEFAULT_TITLE, { body: DEFAULT_GENERIC_BODY, tag: "node-1", renotify: true, data: { xmppPush: 1, node: "node-1" } });
    expect(DEFAULT_TITLE).toBe("New message");
  });

  it("shows the sender with the generic line when only the body was left out", async () => {
    await handlePush(pushEvent(textData(payload({ lastMessageSender: "juliet@capulet.example" }))), { genericBody: "Nouveau message" });
    expect(showNotification).toHaveBeenCalledWith("juliet@capulet.example", expect.objectContaining({ body: "Nouveau message", tag: "juliet@capulet.example" }));
  });

  it("takes title, genericBody, icon and badge from the options", async () => {
    await handlePush(pushEvent(textData(payload({}))), { title: "Chat", genericBody: "Something happened", icon: "/icon.png", badge: "/badge.png" });
    expect(showNotification).toHaveBeenCalledWith("Chat", expect.objectContaining({ body: "Something happened", icon: "/icon.png", badge: "/badge.png" }));
  });

  it.each([
    ["another sender's JSON", textData(JSON.stringify({ title: "Sale!", body: "50% off" }))],
    ["a payload of another version", textData(JSON.stringify({ v: 2, node: "n", summary: {} }))],
    ["text that is not JSON", textData("ping")],
    ["an empty push", null],
    ["data that is not UTF-8", { text: () => { throw new TypeError("not UTF-8"); } }],
  ])("shows the generic notification for %s (browsers require one per push)", async (_case, data) => {
    await handlePush(pushEvent(data), { title: "Chat" });
    expect(showNotification).toHaveBeenCalledWith("Chat", { body: DEFAULT_GENERIC_BODY, tag: "xmpp-push", renotify: true, data: { xmppPush: 1 } });
  });

  it("hands a push that is not ours to onUnknown instead, and waits for it", async () => {
    let finish!: () => void;
    const onUnknown = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const event = pushEvent(textData("ping"));
    let settled = false;
    const handled = handlePush(event, { onUnknown }).then(() => (settled = true));
    await sleep(5);
    expect(onUnknown).toHaveBeenCalledWith(event);
    expect(settled).toBe(false);
    finish();
    await handled;
    expect(showNotification).not.toHaveBeenCalled();
  });

  it("does not hand our payloads to onUnknown", async () => {
    const onUnknown = vi.fn();
    await handlePush(pushEvent(textData(payload({ messageCount: 1 }))), { onUnknown });
    expect(onUnknown).not.toHaveBeenCalled();
    expect(showNotification).toHaveBeenCalledTimes(1);
  });

  it("rejects the promise given to waitUntil when the notification cannot be shown", async () => {
    const failure = new TypeError("No notification permission has been granted for this origin.");
    showNotification.mockRejectedValueOnce(failure);
    const event = pushEvent(textData(payload({})));
    await expect(handlePush(event)).rejects.toBe(failure);
    await expect(event.waitUntil.mock.calls[0]![0]).rejects.toBe(failure);
  });
});
