import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { type Element, NS, PushClient, type PushClientOptions } from "../../src/index.js";
import { correctStreamManagementCount } from "../../src/client/stream-management-count.js";
import { xml } from "../../src/protocol/xml.js";

const NS_SM = "urn:xmpp:sm:3";
/** As `XmppConnection` types its listeners. */
type Listener = (...args: never[]) => void;

/** How a client counts: `stock` is @xmpp/client 0.14, `fixed` a client that counts right. */
type Counting = "stock" | "fixed" | "counts one stanza twice";

/**
 * A connection wired as @xmpp/client 0.14 is: one `element` listener, registered first, runs the
 * IQ caller, which keeps the replies to its own requests, then stream management, which counts
 * every other stanza; `<enabled/>` sets `enabled` and zeroes the count a few microtasks later
 * (`<resumed/>` sets `enabled` the same way, without zeroing).
 */
class FakeConnection {
  readonly #events = new EventEmitter();
  readonly jid = { toString: () => "bob@example.test/phone" };
  readonly streamManagement = { enabled: false, inbound: 0 };
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

  constructor(counting: Counting) {
    const sm = this.streamManagement;
    this.on("element", (element: Element) => {
      if (element.attrs.xmlns === NS_SM && (element.name === "enabled" || element.name === "resumed")) {
        const start = (): void => {
          sm.enabled = true;
          if (element.name === "enabled") sm.inbound = 0;
        };
        if (counting === "fixed") start();
        else void Promise.resolve().then(() => Promise.resolve()).then(start);
        return;
      }
      if (!["iq", "message", "presence"].includes(element.name)) return;
      if (counting !== "stock" || !this.#takeReply(element)) sm.inbound += 1;
      if (counting === "counts one stanza twice" && element.name === "message") sm.inbound += 1;
      if (counting !== "stock") this.#takeReply(element);
    });
  }

  #takeReply(element: Element): boolean {
    const settle = this.#awaiting.get(element.attrs.id as string);
    if (element.name !== "iq" || (element.attrs.type !== "result" && element.attrs.type !== "error") || !settle) return false;
    this.#awaiting.delete(element.attrs.id as string);
    settle(element);
    return true;
  }

  on(event: string, listener: Listener): void {
    this.#events.on(event, listener as (element: Element) => void);
  }

  prependListener(event: string, listener: Listener): void {
    this.#events.prependListener(event, listener as (element: Element) => void);
  }

  removeListener(event: string, listener: Listener): void {
    this.#events.removeListener(event, listener as (element: Element) => void);
  }

  emit(event: string, element?: Element): void {
    this.#events.emit(event, element);
  }

  /** What the server sends, as the connection's parser hands it over (one read: no tick in between). */
  receive(...elements: Element[]): void {
    for (const element of elements) {
      this.emit("element", element);
      if (["iq", "message", "presence"].includes(element.name)) this.emit("stanza", element);
    }
  }

  /** The reply to the oldest request still waiting. */
  nextReply(...children: Element[]): Element {
    const [id] = this.#awaiting.keys();
    if (id === undefined) throw new Error("no request waiting");
    return xml("iq", { type: "result", id, from: "example.test" }, ...children);
  }

  drop(): void {
    this.streamManagement.enabled = false;
    this.emit("disconnect");
  }
}

/** Lets the connection finish what it does after a read (its microtasks). */
const afterRead = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const enabled = (): Element => xml("enabled", { xmlns: NS_SM, id: "s1", resume: "true" });
const chat = (body: string): Element => xml("message", { type: "chat", from: "alice@example.test/laptop" }, xml("body", {}, body));
const pushFeature = (): Element => xml("query", { xmlns: NS.discoInfo }, xml("feature", { var: NS.push }));

/** Stream management on, then an IQ from PushClient and its reply, then a message: `h` should be 2. */
async function requestThenMessage(counting: Counting, options?: PushClientOptions): Promise<FakeConnection> {
  const xmpp = new FakeConnection(counting);
  const push = new PushClient(xmpp, options);
  xmpp.receive(enabled());
  await afterRead();
  const supported = push.pushFeatures().then((features) => features.push);
  xmpp.receive(xmpp.nextReply(pushFeature()));
  expect(await supported).toBe(true);
  xmpp.receive(chat("hi"));
  await afterRead();
  return xmpp;
}

/** An IQ sent right after start(): its reply comes in the same read as `<enabled/>`, then a message. */
async function replyReadWithEnabled(counting: Counting, options?: PushClientOptions): Promise<FakeConnection> {
  const xmpp = new FakeConnection(counting);
  const supported = new PushClient(xmpp, options).pushFeatures().then((features) => features.push);
  xmpp.receive(enabled(), xmpp.nextReply(pushFeature()));
  await supported;
  await afterRead();
  xmpp.receive(chat("hi"));
  return xmpp;
}

describe("XEP-0198 count correction, PushClient's streamManagementFix (C17)", () => {
  it("the fake shows the stock bug: without the correction a reply to our request goes uncounted", async () => {
    expect((await requestThenMessage("stock", { streamManagementFix: false })).streamManagement.inbound).toBe(1);
  });

  it("corrects it by default", async () => {
    expect((await requestThenMessage("stock")).streamManagement.inbound).toBe(2);
  });

  it("a client that counts right is not counted twice", async () => {
    expect((await requestThenMessage("fixed")).streamManagement.inbound).toBe(2);
  });

  it("a client that counts more than it received is brought down to it: a server that checks h closes the stream above what it sent", async () => {
    expect((await requestThenMessage("counts one stanza twice", { streamManagementFix: false })).streamManagement.inbound).toBe(3);
    expect((await requestThenMessage("counts one stanza twice")).streamManagement.inbound).toBe(2);
  });

  it("a presence echo read just before <enabled/>, then a room's stanzas and an <r/> in the same read: the <r/> is answered with what the server sent (C17)", async () => {
    // What Prosody sends an app that sends presence right after start() and joins a room: the
    // echo overtakes <enable/>, and the stock client counts it and answers the <r/> before its reset.
    const answers = async (options?: PushClientOptions): Promise<{ answered: number | undefined; after: number }> => {
      const xmpp = new FakeConnection("stock");
      new PushClient(xmpp, options);
      let answered: number | undefined;
      xmpp.on("element", (element: Element) => {
        if (element.is("r", NS_SM)) answered = xmpp.streamManagement.inbound;
      });
      const room = "team@conference.example.test";
      xmpp.receive(
        xml("presence", { from: "bob@example.test/phone" }),
        enabled(),
        xml("presence", { from: `${room}/bob` }, xml("x", { xmlns: "http://jabber.org/protocol/muc#user" })),
        xml("message", { type: "groupchat", from: room }, xml("subject")),
        xml("r", { xmlns: NS_SM }),
      );
      await afterRead();
      return { answered, after: xmpp.streamManagement.inbound };
    };
    expect(await answers({ streamManagementFix: false })).toEqual({ answered: 3, after: 0 });
    expect(await answers()).toEqual({ answered: 2, after: 2 });
  });

  it("a <failed/> ends the counting: nothing is corrected until the server counts again", async () => {
    const xmpp = await requestThenMessage("stock");
    xmpp.receive(xml("failed", { xmlns: NS_SM }, xml("unexpected-request", { xmlns: NS.stanzas })));
    xmpp.streamManagement.enabled = false;
    xmpp.streamManagement.inbound = 7;
    xmpp.receive(chat("uncounted"));
    await afterRead();
    expect(xmpp.streamManagement.inbound).toBe(8);
  });

  it("the fake shows the second stock bug: what is read with <enabled/> is counted, then zeroed", async () => {
    expect((await replyReadWithEnabled("stock", { streamManagementFix: false })).streamManagement.inbound).toBe(1);
  });

  it("corrects that too, once the client has started counting", async () => {
    expect((await replyReadWithEnabled("stock")).streamManagement.inbound).toBe(2);
    expect((await replyReadWithEnabled("fixed")).streamManagement.inbound).toBe(2);
  });

  it("with nothing read afterwards, corrects it once the client has started counting (for the <a/> at stop())", async () => {
    const xmpp = new FakeConnection("stock");
    const supported = new PushClient(xmpp).pushFeatures().then((features) => features.push);
    xmpp.receive(enabled(), xmpp.nextReply(pushFeature()));
    await supported;
    await afterRead();
    expect(xmpp.streamManagement).toEqual({ enabled: true, inbound: 1 });
  });

  it("two corrections on one connection agree", async () => {
    const xmpp = new FakeConnection("stock");
    correctStreamManagementCount(xmpp);
    const push = new PushClient(xmpp);
    xmpp.receive(enabled(), chat("1"));
    await afterRead();
    const supported = push.pushFeatures().then((features) => features.push);
    xmpp.receive(xmpp.nextReply(pushFeature()), chat("2"));
    await supported;
    expect(xmpp.streamManagement.inbound).toBe(3);
  });

  it("the server's <r/> is answered with the corrected count", async () => {
    const xmpp = await requestThenMessage("stock");
    let answered: number | undefined;
    xmpp.on("element", (element: Element) => {
      if (element.is("r", NS_SM)) answered = xmpp.streamManagement.inbound;
    });
    xmpp.streamManagement.inbound = 1;
    xmpp.receive(xml("r", { xmlns: NS_SM }));
    expect(answered).toBe(2);
  });

  it("after a drop, counts nothing until the server counts again; a resumption goes on from its h", async () => {
    const xmpp = await requestThenMessage("stock");
    xmpp.drop();
    const request = xmpp.iqCaller.request(xml("iq", { type: "get", to: "example.test" }));
    // A new stream's bind reply, before any <enabled/> or <resumed/>: nobody counts it.
    const bind = xmpp.nextReply();
    xmpp.receive(bind);
    await request;
    expect(xmpp.streamManagement.inbound).toBe(2);
    // Resumed: the server resends a reply to our request, in the same read as <resumed/>.
    const resent = xmpp.iqCaller.request(xml("iq", { type: "get", to: "example.test" }));
    xmpp.receive(xml("resumed", { xmlns: NS_SM, previd: "s1", h: 0 }), xmpp.nextReply(), chat("resent"));
    await resent;
    await afterRead();
    expect(xmpp.streamManagement.inbound).toBe(4);
  });

  it("dispose() removes it", async () => {
    const xmpp = new FakeConnection("stock");
    new PushClient(xmpp).dispose();
    const push = new PushClient(xmpp, { streamManagementFix: false });
    xmpp.receive(enabled());
    await afterRead();
    const supported = push.pushFeatures().then((features) => features.push);
    xmpp.receive(xmpp.nextReply(pushFeature()), chat("hi"));
    await supported;
    await afterRead();
    expect(xmpp.streamManagement.inbound).toBe(1);
  });

  it("leaves a connection alone that cannot put a listener first", async () => {
    const xmpp = new FakeConnection("stock");
    correctStreamManagementCount({ on: (event: string, listener: Listener) => xmpp.on(event, listener), streamManagement: xmpp.streamManagement });
    xmpp.receive(enabled());
    await afterRead();
    const request = xmpp.iqCaller.request(xml("iq", { type: "get", to: "example.test" }));
    xmpp.receive(xmpp.nextReply());
    await request;
    expect(xmpp.streamManagement.inbound).toBe(0);
  });
});
