/** The namespaces of Tigase's push extensions (tigase-server `tigase.xmpp.impl.push`, docs/conformance.md TS1). */
export const TIGASE = {
  encrypt: "tigase:push:encrypt:0",
  encryptAes128Gcm: "tigase:push:encrypt:aes-128-gcm",
  ignoreUnknown: "tigase:push:filter:ignore-unknown:0",
  muted: "tigase:push:filter:muted:0",
  groupchat: "tigase:push:filter:groupchat:0",
  away: "tigase:push:away:0",
  priority: "tigase:push:priority:0",
  jingle: "tigase:push:jingle:0",
  /** The nickname element of a groupchat summary (AbstractPushNotifications). */
  mucOffline: "http://tigase.org/protocol/muc#offline",
  /** XEP-0353 Jingle Message Initiation, the calls Tigase pushes for. */
  jingleMessage: "urn:xmpp:jingle-message:0",
  jingleRtp: "urn:xmpp:jingle:apps:rtp:1",
  mix: "urn:xmpp:mix:core:1",
} as const;
