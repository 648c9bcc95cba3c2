/** XML namespaces spoken by the SDK and the simulators. */
export const NS = {
  client: "jabber:client",
  push: "urn:xmpp:push:0",
  pushSummary: "urn:xmpp:push:summary",
  pubsub: "http://jabber.org/protocol/pubsub",
  pubsubEvent: "http://jabber.org/protocol/pubsub#event",
  pubsubErrors: "http://jabber.org/protocol/pubsub#errors",
  pubsubOwner: "http://jabber.org/protocol/pubsub#owner",
  nodeConfig: "http://jabber.org/protocol/pubsub#node_config",
  publishOptions: "http://jabber.org/protocol/pubsub#publish-options",
  dataForms: "jabber:x:data",
  commands: "http://jabber.org/protocol/commands",
  discoInfo: "http://jabber.org/protocol/disco#info",
  discoItems: "http://jabber.org/protocol/disco#items",
  stanzas: "urn:ietf:params:xml:ns:xmpp-stanzas",
  delay: "urn:xmpp:delay",
  ping: "urn:xmpp:ping",
} as const;
