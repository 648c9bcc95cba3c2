// The namespaces the SDK speaks, one constant each: a bundler drops the object below, and the
// namespaces only the simulators use, when the SDK's code names these instead of `NS.…`.
export const NS_PUSH = "urn:xmpp:push:0";
export const NS_PUBSUB = "http://jabber.org/protocol/pubsub";
export const NS_PUBSUB_OWNER = "http://jabber.org/protocol/pubsub#owner";
export const NS_NODE_CONFIG = "http://jabber.org/protocol/pubsub#node_config";
export const NS_PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options";
export const NS_DATA_FORMS = "jabber:x:data";
export const NS_COMMANDS = "http://jabber.org/protocol/commands";
export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
export const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** XEP-0297 Stanza Forwarding: MAM results, carbons, the stanza inside a Push 2.0 envelope. */
export const NS_FORWARD = "urn:xmpp:forward:0";
/** XEP-0420 Stanza Content Encryption: the `<envelope/>` around a pushed stanza (Push 2.0). */
export const NS_SCE = "urn:xmpp:sce:1";

/** XML namespaces spoken by the SDK and the simulators. */
export const NS = {
  client: "jabber:client",
  push: NS_PUSH,
  pushSummary: "urn:xmpp:push:summary",
  pubsub: NS_PUBSUB,
  pubsubEvent: "http://jabber.org/protocol/pubsub#event",
  pubsubErrors: "http://jabber.org/protocol/pubsub#errors",
  pubsubOwner: NS_PUBSUB_OWNER,
  nodeConfig: NS_NODE_CONFIG,
  publishOptions: NS_PUBLISH_OPTIONS,
  dataForms: NS_DATA_FORMS,
  commands: NS_COMMANDS,
  discoInfo: NS_DISCO_INFO,
  discoItems: NS_DISCO_ITEMS,
  stanzas: NS_STANZAS,
  delay: "urn:xmpp:delay",
  ping: "urn:xmpp:ping",
} as const;
