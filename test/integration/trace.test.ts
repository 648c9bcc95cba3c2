import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Element, PushClient, trace, type TraceEvent } from "../../src/index.js";
import { APP_SERVER, type Chain, createChain } from "../helpers/chain.js";

let chain: Chain;
afterEach(async () => {
  vi.restoreAllMocks();
  await chain?.close();
});

/** A client of the chain's server for bob (password "pw"), traced from before its login. */
function tracedClient() {
  const xmpp = chain.server.client({ username: "bob", password: "pw", resource: "phone" });
  xmpp.on("error", () => {});
  const events: TraceEvent[] = [];
  const sent: Element[] = [];
  xmpp.on("send", (element: Element) => sent.push(element));
  const stop = trace(xmpp, (event) => events.push(event));
  return { xmpp, events, sent, stop, texts: (direction: TraceEvent["direction"]) => events.filter((event) => event.direction === direction).map((event) => event.text) };
}

describe("trace", () => {
  it("logs a login's elements both ways and its status changes, with the SASL credentials hidden", async () => {
    chain = createChain();
    const { xmpp, sent, texts } = tracedClient();
    await xmpp.start();

    const credentials = btoa("\0bob\0pw");
    const auth = sent.find((element) => element.name === "auth");
    // The connection really sent the password (and tracing left the element as it was) …
    expect(auth?.text()).toBe(credentials);
    // … but no traced line shows it.
    expect(texts("out")).toContain('<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN"><hidden xmlns="urn:xmpp-push:trace"/></auth>');
    expect(texts("out").join("\n")).not.toContain(credentials);
    expect(texts("out").some((text) => text.includes("<bind") && text.includes("<resource>phone</resource>"))).toBe(true);
    expect(texts("in").some((text) => text.startsWith('<success xmlns="urn:ietf:params:xml:ns:xmpp-sasl"'))).toBe(true);
    expect(texts("in").some((text) => text.includes("<jid>bob@example.test/phone</jid>"))).toBe(true);
    expect(texts("status")).toContain("online bob@example.test/phone");
    expect(texts("status")[0]).toBe(`connecting ${chain.server.service}`);
  });

  it("hides the push node's secret in the app server's reply and in <enable/>", async () => {
    chain = createChain();
    const { xmpp, events } = tracedClient();
    await xmpp.start();
    const registration = await new PushClient(xmpp).subscribe({ appServer: APP_SERVER, provider: "fcm", token: "fcm-token" });

    expect(registration.secret).toBeTruthy();
    expect(events.map((event) => event.text).join("\n")).not.toContain(registration.secret);
    const enable = events.find((event) => event.direction === "out" && event.text.includes('<enable xmlns="urn:xmpp:push:0"'));
    expect(enable?.text).toContain('<field var="secret"><value><hidden xmlns="urn:xmpp-push:trace"/></value></field>');
    expect(enable?.text).toContain(`node="${registration.node}"`);
    expect(events.some((event) => event.direction === "in" && event.text.includes('var="secret"') && event.text.includes("<hidden"))).toBe(true);
  });

  it("stops logging once the returned function is called", async () => {
    chain = createChain();
    const { xmpp, events, stop } = tracedClient();
    await xmpp.start();
    const before = events.length;
    stop();
    await xmpp.send(xml("presence"));
    await xmpp.stop();
    expect(before).toBeGreaterThan(0);
    expect(events).toHaveLength(before);
  });

  it("logs to console.debug by default, an arrow for each direction", async () => {
    chain = createChain();
    const lines: string[] = [];
    vi.spyOn(console, "debug").mockImplementation((line: string) => lines.push(line));
    const xmpp = chain.server.client({ username: "bob", password: "pw", resource: "phone" });
    xmpp.on("error", () => {});
    trace(xmpp);
    await xmpp.start();
    await xmpp.send(xml("presence"));
    expect(lines).toContain('→ <presence xmlns="jabber:client"/>');
    expect(lines).toContain("· online bob@example.test/phone");
    expect(lines.some((line) => line.startsWith("← <success "))).toBe(true);
    await xmpp.stop();
  });
});
