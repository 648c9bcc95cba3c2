export * from "./xmpp-server/index.js";
export * from "./app-server/index.js";
export * from "./transport/index.js";
export type { Component, SendStanza } from "./component.js";
