// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handleNotificationClick, NOTIFICATION_CLICK_MESSAGE, type NotificationEventLike, type WindowClientLike } from "../../src/sw/index.js";

const SCOPE = "https://app.example/chat/";
let matchAll: ReturnType<typeof vi.fn<(options: { type: "window"; includeUncontrolled: boolean }) => Promise<WindowClientLike[]>>>;
let openWindow: ReturnType<typeof vi.fn<(url: string) => Promise<unknown>>>;

function windowClient(url: string) {
  return { url, focus: vi.fn(async () => undefined), postMessage: vi.fn<(message: unknown) => void>() };
}

function useWindows(...windows: WindowClientLike[]): void {
  matchAll.mockResolvedValue(windows);
}

function clickEvent(data: unknown) {
  const event = { notification: { data, close: vi.fn() }, waitUntil: vi.fn<(promise: Promise<unknown>) => void>() };
  return event satisfies NotificationEventLike;
}

const OURS = { xmppPush: 1, node: "node-1", account: "romeo@montague.example", chat: "juliet@capulet.example" };

beforeEach(() => {
  matchAll = vi.fn(async () => []);
  openWindow = vi.fn(async () => null);
  vi.stubGlobal("registration", { scope: SCOPE, showNotification: vi.fn() });
  vi.stubGlobal("clients", { matchAll, openWindow });
});
afterEach(() => vi.unstubAllGlobals());

describe("handleNotificationClick", () => {
  it("closes the notification, focuses the open app window and tells it the conversation, inside waitUntil", async () => {
    const app = windowClient(`${SCOPE}#inbox`);
    useWindows(windowClient("https://elsewhere.example/chat/"), windowClient("https://app.example/admin/"), app);
    const event = clickEvent(OURS);
    const done = handleNotificationClick(event);
    expect(event.notification.close).toHaveBeenCalledTimes(1);
    expect(event.waitUntil).toHaveBeenCalledWith(done);
    await done;
    expect(matchAll).toHaveBeenCalledWith({ type: "window", includeUncontrolled: true });
    expect(app.focus).toHaveBeenCalledTimes(1);
    expect(app.postMessage).toHaveBeenCalledWith({ type: NOTIFICATION_CLICK_MESSAGE, node: "node-1", account: "romeo@montague.example", chat: "juliet@capulet.example" });
    expect(openWindow).not.toHaveBeenCalled();
  });

  it("opens the app on the conversation when no window of it is open", async () => {
    useWindows(windowClient("https://app.example/admin/"));
    await handleNotificationClick(clickEvent(OURS));
    expect(openWindow).toHaveBeenCalledWith("https://app.example/chat/?chat=juliet%40capulet.example");
  });

  it("opens options.url, relative to the scope, and counts windows in its directory as the app", async () => {
    await handleNotificationClick(clickEvent(OURS), { url: "index.html?lang=en" });
    expect(openWindow).toHaveBeenCalledWith("https://app.example/chat/index.html?lang=en&chat=juliet%40capulet.example");

    const app = windowClient("https://app.example/chat/settings.html");
    useWindows(app);
    await handleNotificationClick(clickEvent(OURS), { url: "index.html" });
    expect(app.focus).toHaveBeenCalledTimes(1);
    expect(openWindow).toHaveBeenCalledTimes(1);
  });

  it("opens the app without a conversation for a notification that is not ours, and posts nothing to a window", async () => {
    await handleNotificationClick(clickEvent({ some: "other data" }));
    expect(openWindow).toHaveBeenCalledWith(SCOPE);

    const app = windowClient(SCOPE);
    useWindows(app);
    await handleNotificationClick(clickEvent(null));
    expect(app.focus).toHaveBeenCalledTimes(1);
    expect(app.postMessage).not.toHaveBeenCalled();
  });

  it("opens the app without a chat parameter when the push named no sender", async () => {
    await handleNotificationClick(clickEvent({ xmppPush: 1, node: "node-1" }));
    expect(openWindow).toHaveBeenCalledWith(SCOPE);
  });
});
