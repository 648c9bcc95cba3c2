// @vitest-environment happy-dom
/**
 * handlePush with Push 2.0 pushes (C28): the text the service worker gets is the XEP-0420
 * envelope in clear — RFC 8291's aes128gcm is undone by the browser before the `push` event —
 * so with `push2: readPush2Envelope` it shows the real sender and body, tagged by the
 * conversation; a hostile or foreign text shows the generic notification, never a crash.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encodePushPayload } from "../../src/protocol/push-payload.js";
import { DEFAULT_GENERIC_BODY, DEFAULT_TITLE, handlePush, type PushEventLike, readPush2Envelope } from "../../src/sw/index.js";

let showNotification: ReturnType<typeof vi.fn<(title: string, options?: NotificationOptions) => Promise<void>>>;
beforeEach(() => {
  showNotification = vi.fn(async () => undefined);
  vi.stubGlobal("registration", { scope: "https://app.example/chat/", showNotification });
});
afterEach(() => vi.unstubAllGlobals());

const event = (text: string | null) => ({ data: text === null ? null : { text: () => text }, waitUntil: vi.fn() }) satisfies PushEventLike;
const envelope = (message: string) =>
  `<envelope xmlns='urn:xmpp:sce:1'><content><forwarded xmlns='urn:xmpp:forward:0'>${message}</forwarded></content><rpad>AAAA</rpad></envelope>`;

describe("handlePush with push2: readPush2Envelope (C28)", () => {
  it("shows the forwarded message's sender and body, tagged by the conversation, with the account in data", async () => {
    const text = envelope(`<message xmlns='jabber:client' from='juliet@capulet.example/balcony' to='romeo@montague.example/phone' type='chat'><body>Wherefore art thou?</body></message>`);
    await handlePush(event(text), { push2: readPush2Envelope });
    expect(showNotification).toHaveBeenCalledWith("juliet@capulet.example", {
      body: "Wherefore art thou?",
      tag: "juliet@capulet.example",
      renotify: true,
      data: { xmppPush: 1, chat: "juliet@capulet.example", account: "romeo@montague.example" },
    });
  });

  it("a groupchat message shows 'nick (room)', tagged by the room", async () => {
    const text = envelope(`<message xmlns='jabber:client' from='team@conference.example/Nurse' to='romeo@montague.example' type='groupchat'><body>Anon!</body></message>`);
    await handlePush(event(text), { push2: readPush2Envelope });
    expect(showNotification).toHaveBeenCalledWith("Nurse (team@conference.example)", expect.objectContaining({ body: "Anon!", tag: "team@conference.example" }));
  });

  it("a message without a body (trimmed away, or encrypted) shows the sender with the generic line", async () => {
    await handlePush(event(envelope(`<message xmlns='jabber:client' from='juliet@capulet.example'/>`)), { push2: readPush2Envelope, genericBody: "New message" });
    expect(showNotification).toHaveBeenCalledWith("juliet@capulet.example", expect.objectContaining({ body: "New message" }));
  });

  it("XEP-0357 payloads still work next to it", async () => {
    await handlePush(event(encodePushPayload({ v: 1, node: "n1", summary: { lastMessageSender: "a@example.test", lastMessageBody: "hi" } })), { push2: readPush2Envelope });
    expect(showNotification).toHaveBeenCalledWith("a@example.test", expect.objectContaining({ body: "hi", tag: "a@example.test" }));
  });

  it.each([
    ["a DOCTYPE entity bomb", `<!DOCTYPE x [<!ENTITY a "aaaa">]><envelope xmlns='urn:xmpp:sce:1'/>`],
    ["a truncated envelope", envelope(`<message xmlns='jabber:client' from='a@example.test'><body>x</body></message>`).slice(0, 90)],
    ["an envelope with no message", `<envelope xmlns='urn:xmpp:sce:1'><content/></envelope>`],
  ])("shows the generic notification for %s", async (_, text) => {
    await handlePush(event(text), { push2: readPush2Envelope });
    expect(showNotification).toHaveBeenCalledWith(DEFAULT_TITLE, expect.objectContaining({ body: DEFAULT_GENERIC_BODY }));
  });

  it("without the push2 option an envelope is not ours: onUnknown gets it", async () => {
    const onUnknown = vi.fn();
    await handlePush(event(envelope(`<message xmlns='jabber:client' from='a@example.test'><body>x</body></message>`)), { onUnknown });
    expect(onUnknown).toHaveBeenCalledTimes(1);
    expect(showNotification).not.toHaveBeenCalled();
  });
});
