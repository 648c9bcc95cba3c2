// Type-checked by `deno check` in a consumer project (test/consumer/deno.test.ts): every
// browser-safe entry of the installed package. Each @ts-expect-error proves its entry's types
// were really found (an unused one fails the check), not taken as `any`.
import { MemoryStore, PushClient, PushError, type Registration, type RegistrationStore, trace, type TraceableConnection, type TraceEvent, type XmppConnection } from "xmpp-push";
import { IdbStore, type IdbStoreOptions } from "xmpp-push/idb";
import { type AppServer, createAppServer, createXmppServer, type XmppServer } from "xmpp-push/sim";
import { handlePush, type PushEventLike, type ServiceWorkerPushOptions, type XmppPushNotificationData } from "xmpp-push/sw";
import { bytesToBase64Url, subscribeWebPush, subscriptionToToken, type WebPushSubscriptionJSON } from "xmpp-push/web";

export function connect(xmpp: XmppConnection & TraceableConnection, store: RegistrationStore = new MemoryStore()): PushClient {
  const push = new PushClient(xmpp, { store });
  trace(xmpp, (event: TraceEvent) => console.log(event.direction, event.text));
  return push;
}

export const registrations = (push: PushClient): Promise<Registration[]> => push.registrations();
// @ts-expect-error: trace needs a connection
trace({});

export function simulators(): { server: XmppServer; appServer: AppServer } {
  const server = createXmppServer({ domain: "example.test", users: { bob: "pw" } });
  const appServer = createAppServer({ jid: "push.example.test" });
  server.attach(appServer);
  return { server, appServer };
}
// @ts-expect-error: the server needs a domain
createXmppServer({ users: {} });

const idbOptions: IdbStoreOptions = { name: "xmpp-push" };
export const idb: RegistrationStore = new IdbStore(idbOptions);
// @ts-expect-error: the database name is a string
new IdbStore({ name: 1 });

export const toToken: (subscription: PushSubscription) => WebPushSubscriptionJSON = subscriptionToToken;
export const subscribe = (registration: ServiceWorkerRegistration): Promise<WebPushSubscriptionJSON> =>
  subscribeWebPush(registration, { applicationServerKey: bytesToBase64Url(new Uint8Array([4, 1, 2])) });
// @ts-expect-error: base64url of bytes, not of text
bytesToBase64Url("text");

export const onPush = (event: PushEventLike, options: ServiceWorkerPushOptions = {}): Promise<void> => handlePush(event, options);
export const data: XmppPushNotificationData | undefined = undefined;
// @ts-expect-error: handlePush takes the push event
handlePush("push");

export const failure: PushError = new PushError("not-supported", "checked by deno");
