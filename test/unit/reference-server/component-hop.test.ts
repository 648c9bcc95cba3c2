import { describe, expect, it } from "vitest";
import { type Element, xml } from "../../../src/protocol/index.js";
import { type Component, createXmppServer, type SendStanza } from "../../../src/sim/index.js";

/** A component that records what reaches it and can send through its link. */
function component(jid: string, sendsFreshStanzas?: boolean): Component & { received: Element[]; send(stanza: Element): void } {
  let link: SendStanza | undefined;
  return {
    jid,
    ...(sendsFreshStanzas === undefined ? {} : { sendsFreshStanzas }),
    received: [],
    receive(stanza) {
      this.received.push(stanza);
    },
    connect(send) {
      link = send;
      return () => (link = undefined);
    },
    send(stanza) {
      link?.(stanza);
    },
  };
}

describe("the in-process component hop (issue 12: no deep copy where nothing can change the stanza)", () => {
  it("a component that declares sendsFreshStanzas has its stanza routed as it is", () => {
    const server = createXmppServer({ domain: "example.test", users: {} });
    const sender = component("a.example.test", true);
    const recipient = component("b.example.test");
    server.attach(sender);
    server.attach(recipient);
    const message = xml("message", { to: "b.example.test", from: "a.example.test" }, xml("body", {}, "one"));
    sender.send(message);
    expect(recipient.received).toHaveLength(1);
    expect(recipient.received[0]).toBe(message);
  });

  it("any other component's stanza is copied, so it may change and send it again", () => {
    const server = createXmppServer({ domain: "example.test", users: {} });
    const sender = component("a.example.test");
    const recipient = component("b.example.test");
    server.attach(sender);
    server.attach(recipient);
    const message = xml("message", { to: "b.example.test", from: "a.example.test" }, xml("body", {}, "one"));
    sender.send(message);
    message.getChild("body")!.children[0] = "two";
    sender.send(message);
    expect(recipient.received.map((stanza) => stanza.getChildText("body"))).toEqual(["one", "two"]);
    expect(recipient.received[0]).not.toBe(message);
  });
});
