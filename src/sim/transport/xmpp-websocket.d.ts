// @xmpp/websocket ships no types; the in-memory transport reuses its RFC 7395 connection class.
declare module "@xmpp/websocket/lib/Connection.js" {
  import Connection from "@xmpp/connection";
  import type { Element } from "@xmpp/xml";

  export default class ConnectionWebSocket extends Connection {
    headerElement(): Element;
    socketParameters(service: string): unknown;
  }
}
