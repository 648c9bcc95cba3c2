// The first import of the app (index.js): the Web APIs that xmpp-push and @xmpp/client 0.14 call
// and React Native's Hermes lacks. Everything else they use (WebSocket, timers, queueMicrotask,
// URL's protocol, atob/btoa and TextEncoder since RN 0.74) is built in.
import "react-native-get-random-values"; // crypto.getRandomValues: xmpp-push's device ids and nodes (native module)
import "react-native-random-uuid"; // crypto.randomUUID: @xmpp/client 0.14's <user-agent id> (native module)
// React Native before 0.74, or JSC instead of Hermes: atob/btoa too (@xmpp/client's SASL), e.g.
//   import { decode, encode } from "base-64"; global.atob ??= decode; global.btoa ??= encode;
