import { TIGASE_NS } from "../../../../protocol/index.js";

/** The namespaces of Tigase's push extensions (tigase-server `tigase.xmpp.impl.push`, docs/conformance.md TS1). */
export const TIGASE = {
  ...TIGASE_NS,
  /** The nickname element of a groupchat summary (AbstractPushNotifications). */
  mucOffline: "http://tigase.org/protocol/muc#offline",
  /** XEP-0353 Jingle Message Initiation, the calls Tigase pushes for. */
  jingleMessage: "urn:xmpp:jingle-message:0",
  jingleRtp: "urn:xmpp:jingle:apps:rtp:1",
  mix: "urn:xmpp:mix:core:1",
} as const;
