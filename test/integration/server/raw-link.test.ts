/**
 * The server's side of a connection driven by hand (`server.accept(link)`), for what no real
 * client library would send: text only a JavaScript string can hold, a resource that cannot be one.
 */

import { afterEach, describe, expect, it } from "vitest";
import { createXmppServer, type XmppServer } from "../../../src/sim/index.js";

let server: XmppServer;
afterEach(async () => {
  await server?.close();
});

const OPEN = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.test' version='1.0'/>";
const PLAIN = `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${btoa("\0alice\0pw")}</auth>`;

function rawSession() {
  server = createXmppServer({ domain: "example.test", users: { alice: "pw" } });
  const sent: string[] = [];
  let closed = false;
  const session = server.accept({ secure: true, send: (frame) => void sent.push(frame), close: () => void (closed = true) });
  return { session, sent, isClosed: () => closed };
}

describe("a connection driven by hand", () => {
  it("a lone surrogate in a frame (only a JavaScript string can hold one) ends the stream with not-well-formed", () => {
    const { session, sent, isClosed } = rawSession();
    session.receive(OPEN);
    session.receive("<message to='alice@example.test'><body>\uD800</body></message>");
    expect(sent.join("")).toContain("<not-well-formed xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>");
    expect(isClosed()).toBe(true);
  });

  it("what comes before a lone surrogate still counts, however the text is cut into strings", () => {
    for (const cut of [false, true]) {
      const { session, sent } = rawSession();
      for (const frame of [OPEN, PLAIN, OPEN]) session.receive(frame);
      session.receive("<iq type='set' id='b1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
      const text = "<iq type='get' id='p1' xmlns='jabber:client'><ping xmlns='urn:xmpp:ping'/></iq>\uD800x";
      if (cut) for (const part of [text.slice(0, -1), text.slice(-1)]) session.receive(part);
      else session.receive(text);
      const answers = sent.join("");
      expect(answers).toMatch(/<iq[^>]*id="p1"[^>]*type="result"|<iq[^>]*type="result"[^>]*id="p1"/);
      expect(answers).toContain("<not-well-formed");
      void server.close();
    }
  });

  it("server.close() also ends connections that never authenticated, with system-shutdown", async () => {
    const { session, sent, isClosed } = rawSession();
    session.receive(OPEN);
    await server.close();
    expect(sent.join("")).toContain("<system-shutdown");
    expect(isClosed()).toBe(true);
  });

  it("a resource that is no valid resourcepart is refused with bad-request; the stream goes on and binds another", () => {
    const { session, sent } = rawSession();
    for (const frame of [OPEN, PLAIN, OPEN]) session.receive(frame);
    const tooLong = "r".repeat(1024);
    session.receive(`<iq type='set' id='b1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${tooLong}</resource></bind></iq>`);
    expect(sent.at(-1)).toMatch(/<iq[^>]*type="error"[^>]*id="b1"[\s\S]*<bad-request/);
    session.receive("<iq type='set' id='b2' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>phone</resource></bind></iq>");
    expect(sent.at(-1)).toContain("<jid>alice@example.test/phone</jid>");
  });

  it("over RFC 7395 nothing counts before <open/>, nor between <success/> and the restart: bad-format", async () => {
    const first = rawSession();
    first.session.receive(PLAIN);
    expect(first.sent.join("")).not.toContain("<success");
    expect(first.sent.join("")).toContain("<bad-format");
    await server.close();

    const second = rawSession();
    for (const frame of [OPEN, PLAIN]) second.session.receive(frame);
    second.session.receive("<iq type='set' id='b1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
    expect(second.sent.join("")).not.toContain("<jid>");
    expect(second.sent.join("")).toContain("<bad-format");
  });
});
