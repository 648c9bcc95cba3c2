import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { countIqRepliesInStreamManagement, type Element, NS, PushClient, xml } from "../../src/index.js";

/** As `XmppConnection` types its listeners. */
type Listener = (...args: never[]) => void;
type Counting = "skips own replies" | "counts every stanza";

/**
 * A connection wired as @xmpp/client 0.14 is: one `element` listener, registered first, runs the
 * IQ caller, which keeps the replies to its own requests, and then stream management, which counts
 * every stanza that reaches it. `counts every stanza` is a client where that is fixed.
 */
class FakeConnection {
  readonly #events = new EventEmitter();
  readonly jid = { toString: () => "bob@example.test/phone" };
  readonly streamManagement = { enabled: true, inbound: 0 };
  readonly #awaiting = new Map<string, (reply: Element) => void>();
  #nextId = 0;

  readonly iqCaller = {
    request: (stanza: Element): Promise<Element> => {
      stanza.attrs.id ??= `q${(this.#nextId += 1)}`;
      const reply = new Promise<Element>((resolve) => this.#awaiting.set(stanza.attrs.id as string, resolve));
      this.emit("send", stanza);
      return reply;
    },
  };

  on(event: string, listener: Listener): void {
    this.#events.on(event, listener as (element: Element) => void);
  }

  prependListener(event: string, listener: Listener): void {
    this.#events.prependListener(event, listener as (element: Element) => void);
  }

  removeListener(event: string, listener: Listener): void {
    this.#events.removeListener(event, listener as (element: Element) => void);
  }

  emit(event: string, element: Element): void {
    this.#events.emit(event, element);
  }

  constructor(counting: Counting) {
    this.on("element", (element: Element) => {
      if (counting === "counts every stanza") this.#count(element);
      const settle = this.#awaiting.get(element.attrs.id as string);
      if (element.name === "iq" && (element.attrs.type === "result" || element.attrs.type === "error") && settle) {
        this.#awaiting.delete(element.attrs.id as string);
        settle(element);
        return;
      }
      if (counting === "skips own replies") this.#count(element);
    });
  }

  #count(element: Element): void {
    if (["iq", "message", "presence"].includes(element.name)) this.streamManagement.inbound += 1;
  }

  /** What the server sends, as the connection's parser hands it over. */
  receive(element: Element): void {
    this.emit("element", element);
    if (["iq", "message", "presence"].includes(element.name)) this.emit("stanza", element);
  }

  /** Answers the oldest request still waiting. */
  answerNext(...children: Element[]): void {
    const [id] = this.#awaiting.keys();
    if (id === undefined) throw new Error("no request waiting");
    this.receive(xml("iq", { type: "result", id, from: "example.test" }, ...children));
  }
}

const pushFeature = (): Element => xml("query", { xmlns: NS.discoInfo }, xml("feature", { var: NS.push }));
const chat = (body: string): Element => xml("message", { type: "chat", from: "alice@example.test/laptop" }, xml("body", {}, body));

/** An IQ from PushClient, its reply, then a message: `h` should be 2. */
async function requestThenMessage(xmpp: FakeConnection, push: PushClient): Promise<void> {
  const supported = push.isSupported();
  xmpp.answerNext(pushFeature());
  expect(await supported).toBe(true);
  xmpp.receive(chat("hi"));
}

describe("XEP-0198 count of the replies to our own IQs (countIqRepliesInStreamManagement)", () => {
  it("the fake shows the bug: without the correction a reply to our request goes uncounted", async () => {
    const xmpp = new FakeConnection("skips own replies");
    await requestThenMessage(xmpp, new PushClient(xmpp, { streamManagementFix: false }));
    expect(xmpp.streamManagement.inbound).toBe(1);
  });

  it("PushClient corrects it by default where the connection leaves replies out", async () => {
    const xmpp = new FakeConnection("skips own replies");
    await requestThenMessage(xmpp, new PushClient(xmpp));
    expect(xmpp.streamManagement.inbound).toBe(2);
  });

  it("a connection that counts its replies itself is not counted twice", async () => {
    const xmpp = new FakeConnection("counts every stanza");
    await requestThenMessage(xmpp, new PushClient(xmpp));
    expect(xmpp.streamManagement.inbound).toBe(2);
  });

  it("two corrections on one connection add one per reply", async () => {
    const xmpp = new FakeConnection("skips own replies");
    countIqRepliesInStreamManagement(xmpp);
    const push = new PushClient(xmpp);
    new PushClient(xmpp);
    await requestThenMessage(xmpp, push);
    expect(xmpp.streamManagement.inbound).toBe(2);
  });

  it("adds only replies to requests sent on this connection", () => {
    const xmpp = new FakeConnection("skips own replies");
    countIqRepliesInStreamManagement(xmpp);
    // A result nobody asked for reaches stream management, which counts it: nothing to add.
    xmpp.receive(xml("iq", { type: "result", id: "never-sent", from: "example.test" }));
    // A request from the server is counted by the client as it is.
    xmpp.receive(xml("iq", { type: "get", id: "ping", from: "example.test" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(xmpp.streamManagement.inbound).toBe(2);
  });

  it("leaves alone a reply to a request it did not see go out", async () => {
    const xmpp = new FakeConnection("skips own replies");
    const reply = xmpp.iqCaller.request(xml("iq", { type: "get", to: "example.test" }));
    countIqRepliesInStreamManagement(xmpp);
    xmpp.answerNext();
    await reply;
    expect(xmpp.streamManagement.inbound).toBe(0);
  });

  it("adds nothing while stream management is off", async () => {
    const xmpp = new FakeConnection("skips own replies");
    xmpp.streamManagement.enabled = false;
    const push = new PushClient(xmpp);
    const supported = push.isSupported();
    xmpp.answerNext(pushFeature());
    await supported;
    expect(xmpp.streamManagement.inbound).toBe(0);
  });

  it("counts a reply that comes after a resumption, on the resumed stream", async () => {
    const xmpp = new FakeConnection("skips own replies");
    countIqRepliesInStreamManagement(xmpp);
    const reply = xmpp.iqCaller.request(xml("iq", { type: "get", to: "example.test" }, xml("query", { xmlns: NS.discoInfo })));
    xmpp.streamManagement.enabled = false;
    xmpp.streamManagement.enabled = true;
    xmpp.answerNext();
    await reply;
    expect(xmpp.streamManagement.inbound).toBe(1);
  });

  it("dispose() removes it", async () => {
    const xmpp = new FakeConnection("skips own replies");
    const push = new PushClient(xmpp);
    push.dispose();
    await requestThenMessage(xmpp, new PushClient(xmpp, { streamManagementFix: false }));
    expect(xmpp.streamManagement.inbound).toBe(1);
  });

  it("leaves a connection alone that cannot put a listener first", async () => {
    const xmpp = new FakeConnection("skips own replies");
    countIqRepliesInStreamManagement({ on: (event, listener) => xmpp.on(event, listener), streamManagement: xmpp.streamManagement });
    const reply = xmpp.iqCaller.request(xml("iq", { type: "get", to: "example.test" }));
    xmpp.answerNext();
    await reply;
    expect(xmpp.streamManagement.inbound).toBe(0);
  });
});
