// Push for a React Native chat app: the platform's device token → PushClient.subscribe, with the
// registrations kept in AsyncStorage so that every later session re-enables them.
// The app installs: react-native (≥ 0.74, Hermes), xmpp-push, @xmpp/client@^0.14,
// @react-native-async-storage/async-storage, @react-native-firebase/app and /messaging,
// react-native-get-random-values, react-native-random-uuid (see polyfills.js).
import AsyncStorage from "@react-native-async-storage/async-storage";
import messaging from "@react-native-firebase/messaging";
import { type Client, client } from "@xmpp/client";
import { Platform } from "react-native";
import { PushClient, type Registration } from "xmpp-push";
import { AsyncStorageStore } from "xmpp-push/async-storage";

export interface Account {
  /** The server's XMPP-over-WebSocket URL, e.g. "wss://chat.example.org/xmpp-websocket". */
  service: string;
  domain: string;
  username: string;
  password: string;
  /** The app server (XEP-0357 push service) that holds the FCM/APNs credentials, e.g. "push.example.org". */
  appServer: string;
}

export interface PushSession {
  xmpp: Client;
  push: PushClient;
  registration: Registration;
  /** Stops following token refreshes (call on logout, before `push.unsubscribe()`). */
  stopTokenRefresh: () => void;
}

/** Android: the FCM registration token. iOS: the APNs device token, for an app server that talks to APNs itself. */
async function deviceToken(): Promise<{ provider: "fcm" | "apns"; token: string }> {
  await messaging().requestPermission();
  if (Platform.OS === "ios") {
    await messaging().registerDeviceForRemoteMessages();
    const token = await messaging().getAPNSToken();
    if (!token) throw new Error("APNs gave no device token (a simulator without push, or no aps-environment entitlement)");
    return { provider: "apns", token };
  }
  return { provider: "fcm", token: await messaging().getToken() };
}

export async function startPush(account: Account): Promise<PushSession> {
  const xmpp = client({ service: account.service, domain: account.domain, username: account.username, password: account.password });
  // One store for the app: registrations share AsyncStorage with the app's own keys (prefix "xmpp-push:registration:").
  const push = new PushClient(xmpp, { store: new AsyncStorageStore(AsyncStorage) });
  push.on("error", (error) => console.warn(`push: ${error.condition}: ${error.message}`));
  xmpp.on("error", (error: Error) => console.warn(`xmpp: ${error.message}`)); // unheard, an "error" event would throw
  await xmpp.start();

  const { provider, token } = await deviceToken();
  const registration = await push.subscribe({ appServer: account.appServer, provider, token, deviceName: `${Platform.OS} app` });
  // A new FCM token replaces the registration at the app server (the old node is disabled and removed).
  const stopTokenRefresh =
    provider === "fcm"
      ? messaging().onTokenRefresh((fresh) => void push.subscribe({ appServer: account.appServer, provider, token: fresh, deviceName: `${Platform.OS} app` }))
      : () => undefined;
  return { xmpp, push, registration, stopTokenRefresh };
}
