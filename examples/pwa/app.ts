/** The PWA's page: log in, chat, turn push on and off (XEP-0357 or Push 2.0), log out. */
import { type Client, client, xml } from "@xmpp/client";
import { type Element, PushClient, push2 } from "../../src/index.js";
import { IdbStore } from "../../src/idb/index.js";
import { NOTIFICATION_CLICK_MESSAGE, type NotificationClickMessage } from "../../src/sw/index.js";
import { disableNotifications, enabledPushMethod, enableNotifications, enablePush2Notifications, type PushMethod } from "./notifications.js";

/** Served by serve.ts: where the XMPP server listens, its domain, the app server's JID and the Push 2.0 relay's. */
interface Config {
  service: string;
  domain: string;
  appServer: string;
  push2Service: string;
}

const METHOD_NAMES: Record<PushMethod, string> = { xep0357: "XEP-0357 via app server", push2: "Push 2.0" };

const config = (await (await fetch("config.json")).json()) as Config;
let session: { xmpp: Client; push: PushClient } | undefined;

const byId = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const field = (form: HTMLFormElement, name: string): HTMLInputElement => form.elements.namedItem(name) as HTMLInputElement;

function render(): void {
  byId("login").hidden = session !== undefined;
  byId("chat").hidden = session === undefined;
  byId("permission").textContent = "Notification" in globalThis ? Notification.permission : "not supported";
}

function setPushStatus(text: string): void {
  byId("push-status").textContent = text;
}

function showPushMethod(method: PushMethod | undefined): void {
  setPushStatus(method ? `push enabled (${METHOD_NAMES[method]})` : "off");
  if (method) byId<HTMLInputElement>(`method-${method}`).checked = true;
}

function chosenMethod(): PushMethod {
  return byId<HTMLInputElement>("method-push2").checked ? "push2" : "xep0357";
}

/**
 * The same XEP-0388 user-agent id at every login from this browser: the server keys the Push 2.0
 * registration by it, so a new session takes over the registration instead of adding one.
 */
function userAgent(): Element {
  let id = localStorage.getItem("xmpp-push-client-id");
  if (!id) localStorage.setItem("xmpp-push-client-id", (id = crypto.randomUUID()));
  return xml("user-agent", { id }, xml("software", {}, "xmpp-push PWA"));
}

function showError(error: unknown): void {
  byId("error").textContent = error instanceof Error ? error.message : String(error ?? "");
}

function addMessage(text: string): void {
  const item = document.createElement("li");
  item.textContent = text;
  byId("messages").append(item);
}

async function logIn(username: string, password: string): Promise<void> {
  // @xmpp/client 0.14 takes `userAgent` (its published types do not list it yet).
  const options = { service: config.service, domain: config.domain, username, password, resource: "pwa", userAgent: userAgent() };
  const xmpp = client(options);
  // Made before start(): after every fresh session it re-enables the stored registration; a
  // Push 2.0 one goes inline into the login where the server offers SASL2 + Bind2.
  const push = new PushClient(xmpp, { store: new IdbStore(), extensions: [push2] });
  push.enablePush2Inline({ account: `${username.toLowerCase()}@${config.domain}` });
  xmpp.on("error", showError);
  xmpp.on("stanza", (stanza: Element) => {
    const body = stanza.is("message") ? stanza.getChildText("body") : null;
    if (body) addMessage(`${String(stanza.attrs.from).split("/")[0]}: ${body}`);
  });
  try {
    await xmpp.start();
  } catch (error) {
    xmpp.reconnect.stop();
    await xmpp.stop().catch(() => undefined);
    throw error;
  }
  // Initial presence: the server then hands over the messages that arrived while we were away.
  await xmpp.send(xml("presence"));
  session = { xmpp, push };
  byId("me").textContent = String(xmpp.jid?.bare());
  showPushMethod(await enabledPushMethod(push));
  render();
}

/** The app goes away; the push registration stays, so notifications keep coming while it is closed. */
async function logOut(): Promise<void> {
  if (!session) return;
  const { xmpp, push } = session;
  session = undefined;
  push.dispose();
  await xmpp.stop();
  byId("messages").replaceChildren();
  render();
}

/** Runs a click or submit handler with the button disabled meanwhile and errors shown on the page. */
function on(element: HTMLElement, event: "click" | "submit", run: (form: HTMLFormElement) => Promise<void>): void {
  element.addEventListener(event, (domEvent) => {
    domEvent.preventDefault();
    const button = element instanceof HTMLFormElement ? element.querySelector("button") : element;
    button?.setAttribute("disabled", "");
    showError("");
    run(element as HTMLFormElement)
      .catch(showError)
      .finally(() => button?.removeAttribute("disabled"));
  });
}

on(byId("login"), "submit", (form) => logIn(field(form, "username").value, field(form, "password").value));
on(byId("logout"), "click", logOut);
on(byId("enable"), "click", async () => {
  if (!session) return;
  const { push } = session;
  const method = chosenMethod();
  setPushStatus("enabling…");
  try {
    // One way at a time: the other registration goes first (the browser subscription is replaced, its key differs).
    const enabled = await enabledPushMethod(push);
    if (enabled && enabled !== method) await push.unsubscribe();
    if (method === "push2") await enablePush2Notifications(push, config.push2Service);
    else await enableNotifications(push, config.appServer);
    showPushMethod(method);
  } catch (error) {
    showPushMethod(await enabledPushMethod(push).catch(() => undefined));
    throw error;
  } finally {
    render(); // the permission may have changed
  }
});
on(byId("disable"), "click", async () => {
  if (!session) return;
  await disableNotifications(session.push);
  setPushStatus("push disabled");
});
on(byId("send"), "submit", async (form) => {
  if (!session) return;
  const to = field(form, "to").value.includes("@") ? field(form, "to").value : `${field(form, "to").value}@${config.domain}`;
  const text = field(form, "text").value;
  await session.xmpp.send(xml("message", { to, type: "chat" }, xml("body", {}, text)));
  addMessage(`→ ${to}: ${text}`);
  field(form, "text").value = "";
});

// A notification click opens the app with ?chat=<jid>, or posts a message to the open window.
function replyTo(chat: string | null | undefined): void {
  if (chat) field(byId<HTMLFormElement>("send"), "to").value = chat;
}
replyTo(new URLSearchParams(location.search).get("chat"));
navigator.serviceWorker?.addEventListener("message", (event: MessageEvent<NotificationClickMessage>) => {
  if (event.data?.type === NOTIFICATION_CLICK_MESSAGE) replyTo(event.data.chat);
});
render();
