/**
 * The smallest web app with push: log in with @xmpp/client over WebSocket, subscribe at the app
 * server, log out. Plain JavaScript, so every bundler here takes it with no loader. The settings
 * come from the query string (service, domain, username, password, appServer, provider, token),
 * so one build can be pointed at any server. The token is the platform's push token (FCM, APNs…);
 * for Web Push from the browser itself see examples/pwa.
 */
import { client } from "@xmpp/client";
import { PushClient } from "xmpp-push";

const settings = new URLSearchParams(location.search);
const show = (text) => (document.body.textContent = text);

async function subscribe() {
  const xmpp = client({
    service: settings.get("service"), // wss://… — the browser client does no DNS lookups
    domain: settings.get("domain"),
    username: settings.get("username"),
    password: settings.get("password"),
    resource: "web",
  });
  xmpp.on("error", (error) => console.error(error));
  await xmpp.start();
  const push = new PushClient(xmpp);
  const registration = await push.subscribe({
    appServer: settings.get("appServer"),
    provider: settings.get("provider") ?? "fcm",
    token: settings.get("token"),
  });
  await xmpp.stop();
  return registration;
}

navigator.serviceWorker?.register("/sw.js");
subscribe().then(
  (registration) => show(`subscribed ${registration.node}`),
  (error) => show(`failed: ${error}`),
);
