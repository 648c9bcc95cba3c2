import { buildForm, buildIq, buildNotification, buildPublish, type Element, formFromValues, NS, xml } from "../src/protocol/index.js";
import { Parser } from "@xmpp/xml";

/** What one message of a chain run looks like: whom it goes to and what its notification says. */
export interface FloorMessage {
  to: string;
  body: string;
  messageCount: number;
}

export interface FloorTarget {
  node: string;
  secret: string;
}

/**
 * The XML work one delivery cannot do without, and nothing else: the message is built,
 * serialized and parsed (the sender's socket to the server), the publish is built, serialized
 * and parsed (the server's link to the app server), its node and secret are read, and the
 * reply is built. No routing, no storage, no promises: the physical floor a chain is measured
 * against. Parsing uses ltx's stream parser (what @xmpp/client and @xmpp/component parse with,
 * and the fastest in the stack: the reference server's saxes tokenizer costs more per stanza),
 * one per direction, as a socket would.
 */
export function createXmlFloor(sender: string, appServer: string): (message: FloorMessage, target: FloorTarget) => Element {
  const toServer = parserFor();
  const toAppServer = parserFor();
  let id = 0;
  return (message, target) => {
    const sent = xml("message", { xmlns: "jabber:client", to: message.to, type: "chat" }, xml("body", {}, message.body));
    const received = toServer.parse(sent.toString());
    received.attrs.from = sender;

    const summary = formFromValues("submit", NS.pushSummary, {
      "message-count": String(message.messageCount),
      "last-message-sender": sender,
      "last-message-body": message.body,
    });
    const publish = buildIq(
      { type: "set", from: received.attrs.to as string, to: appServer, id: `f${++id}` },
      buildPublish({
        node: target.node,
        payload: buildNotification({ extensions: [buildForm(summary)] }),
        publishOptions: formFromValues("submit", NS.publishOptions, { secret: target.secret }),
      }),
    );
    const arrived = toAppServer.parse(publish.toString());
    const pubsub = arrived.getChild("pubsub", NS.pubsub);
    const node = pubsub?.getChild("publish")?.attrs.node as string | undefined;
    const secret = pubsub?.getChild("publish-options")?.getChild("x")?.getChildren("field").find((field) => field.attrs.var === "secret")?.getChildText("value");
    if (node !== target.node || secret !== target.secret) throw new Error("the floor read the publish wrong");
    return xml("iq", { type: "result", id: arrived.attrs.id, to: arrived.attrs.from, from: appServer });
  };
}

/** A stream parser that hands back the one element each write holds. */
function parserFor(): { parse(text: string): Element } {
  let last: Element | undefined;
  const parser = new Parser();
  parser.on("element", (element: Element) => (last = element));
  parser.on("error", (error: unknown) => {
    throw error;
  });
  parser.write('<stream:stream xmlns="jabber:client" xmlns:stream="http://etherx.jabber.org/streams">');
  return {
    parse(text) {
      last = undefined;
      parser.write(text);
      if (!last) throw new Error(`the floor's parser gave nothing for ${text}`);
      return last;
    },
  };
}
