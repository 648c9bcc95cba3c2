/**
 * SASL2 and Bind2 driven by hand (`server.accept(link)`): SCRAM-SHA-1 on a link that is not
 * confidential (the in-memory transport always is, so @xmpp/client takes PLAIN there), and what
 * no client library sends — malformed or misplaced requests get typed answers, never a crash.
 */

import { afterEach, describe, expect, it } from "vitest";
import { createXmppServer, type XmppServer } from "../../../src/sim/index.js";
import { waitFor } from "../../helpers/chain.js";
import { scramClientFinal, scramClientFirst } from "../../fuzz/scram-client.js";

let server: XmppServer;
afterEach(async () => {
  await server?.close();
});

const OPEN = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.test' version='1.0'/>";
const NS = "xmlns='urn:xmpp:sasl:2'";
const b64 = (text: string) => btoa(text);
const plain = (password = "pw", children = "") =>
  `<authenticate ${NS} mechanism='PLAIN'><initial-response>${b64(`\0alice\0${password}`)}</initial-response><user-agent id='ua-1'/>${children}</authenticate>`;

function rawSession(secure = true) {
  server = createXmppServer({ domain: "example.test", users: { alice: "pw" }, sasl2: true });
  const sent: string[] = [];
  let closed = false;
  const internalErrors: unknown[] = [];
  server.on("internal-error", (error) => void internalErrors.push(error));
  const session = server.accept({ secure, send: (frame) => void sent.push(frame), close: () => void (closed = true) });
  session.receive(OPEN);
  return { session, sent, internalErrors, isClosed: () => closed, text: () => sent.join("") };
}

const settle = (condition: () => boolean) => waitFor(condition, 5000, "the SCRAM step");

describe("SASL2 by hand", () => {
  it("SCRAM-SHA-1 on a link that is not confidential: challenge, response, success with the server-final in <additional-data/> (SA1)", async () => {
    const { session, sent, text } = rawSession(false);
    expect(text()).toContain("<authentication xmlns=\"urn:xmpp:sasl:2\"><mechanism>SCRAM-SHA-1</mechanism>");
    const nonce = "fyko+d2lbbFgONRv9qkxdawL";
    session.receive(`<authenticate ${NS} mechanism='SCRAM-SHA-1'><initial-response>${b64(scramClientFirst("alice", nonce))}</initial-response><bind xmlns='urn:xmpp:bind:0'><tag>scram</tag></bind></authenticate>`);
    await settle(() => text().includes("<challenge"));
    const challenge = /<challenge xmlns="urn:xmpp:sasl:2">([^<]+)<\/challenge>/.exec(text())?.[1] ?? "";
    const clientFinal = scramClientFinal("alice", "pw", nonce, atob(challenge));
    expect(clientFinal).toBeDefined();
    session.receive(`<response ${NS}>${b64(clientFinal ?? "")}</response>`);
    await settle(() => text().includes("<success"));
    const success = sent.find((frame) => frame.startsWith("<success")) ?? "";
    expect(atob(/<additional-data>([^<]+)</.exec(success)?.[1] ?? "")).toMatch(/^v=/);
    expect(success).toMatch(/<authorization-identifier>alice@example\.test\/scram\/[0-9a-f]{12}<\/authorization-identifier>/);
    expect(success).toContain("<bound xmlns=\"urn:xmpp:bind:0\"/>");
    expect(server.resources("alice")).toHaveLength(1);
  });

  it("a wrong SCRAM proof: <failure/> with not-authorized; the third failure closes the stream (SA2)", async () => {
    const { session, text, isClosed } = rawSession(false);
    for (let attempt = 1; attempt <= 3; attempt++) {
      session.receive(`<authenticate ${NS} mechanism='SCRAM-SHA-1'><initial-response>${b64(scramClientFirst("alice", `n${attempt}`))}</initial-response></authenticate>`);
      await settle(() => (text().match(/<challenge/g) ?? []).length === attempt);
      const challenges = [...text().matchAll(/<challenge xmlns="urn:xmpp:sasl:2">([^<]+)<\/challenge>/g)];
      const clientFinal = scramClientFinal("alice", "not-pw", `n${attempt}`, atob(challenges.at(-1)?.[1] ?? ""));
      session.receive(`<response ${NS}>${b64(clientFinal ?? "")}</response>`);
      await settle(() => (text().match(/<failure/g) ?? []).length === attempt);
    }
    expect(text().match(/<failure xmlns="urn:xmpp:sasl:2"><not-authorized xmlns="urn:ietf:params:xml:ns:xmpp-sasl"\/><\/failure>/g)).toHaveLength(3);
    expect(isClosed()).toBe(true);
  });

  it.each([
    ["no mechanism", `<authenticate ${NS}><initial-response>${b64("\0alice\0pw")}</initial-response></authenticate>`, "invalid-mechanism"],
    ["a mechanism not offered here", `<authenticate ${NS} mechanism='SCRAM-SHA-1'><initial-response>${b64("n,,n=alice,r=x")}</initial-response></authenticate>`, "invalid-mechanism"],
    ["an initial response that is no base64", `<authenticate ${NS} mechanism='PLAIN'><initial-response>***</initial-response></authenticate>`, "incorrect-encoding"],
    ["no initial response for PLAIN", `<authenticate ${NS} mechanism='PLAIN'/>`, "malformed-request"],
    ["an abort", `<abort ${NS}/>`, "aborted"],
  ])("%s: <failure/> with %s, the stream goes on and a login still works (SA2)", (_title, request, condition) => {
    const { session, text, internalErrors } = rawSession();
    session.receive(request);
    expect(text()).toContain(`<failure xmlns="urn:xmpp:sasl:2"><${condition} xmlns="urn:ietf:params:xml:ns:xmpp-sasl"/></failure>`);
    session.receive(plain());
    expect(text()).toContain("<success xmlns=\"urn:xmpp:sasl:2\"><authorization-identifier>alice@example.test</authorization-identifier></success>");
    expect(internalErrors).toEqual([]);
  });

  it("without a Bind2 request: authenticated but unbound, and the features after <success/> offer RFC 6120 bind and XEP-0198 (SA1, SA5)", () => {
    const { session, sent } = rawSession();
    session.receive(plain());
    const after = sent.slice(sent.findIndex((frame) => frame.startsWith("<success")) + 1).join("");
    expect(after).toMatch(/^<stream:features[^>]*><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"\/><sm xmlns="urn:xmpp:sm:3"\/><\/stream:features>$/);
    session.receive("<iq type='set' id='b1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>old-style</resource></bind></iq>");
    expect(sent.at(-1)).toContain("<jid>alice@example.test/old-style</jid>");
  });

  it("a tag that makes no valid resource: <failed/> with bad-request inside the success; the session stays authenticated (SA3)", () => {
    const { session, sent } = rawSession();
    session.receive(plain("pw", `<bind xmlns='urn:xmpp:bind:0'><tag>${"t".repeat(1100)}</tag></bind>`));
    const success = sent.find((frame) => frame.startsWith("<success")) ?? "";
    expect(success).toMatch(/<failed xmlns="urn:xmpp:bind:0"><error type="modify"><bad-request/);
    expect(success).toContain("<authorization-identifier>alice@example.test</authorization-identifier>");
    expect(server.resources("alice")).toEqual([]);
    session.receive("<iq type='set' id='b1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
    expect(sent.at(-1)).toContain("<jid>alice@example.test/");
  });

  it.each([
    ["a Bind2 request before authentication", "<bind xmlns='urn:xmpp:bind:0'><tag>x</tag></bind>", "not-authorized"],
    ["a response with no challenge out", `<response ${NS}>eA==</response>`, "not-authorized"],
  ])("%s: stream error %s, no crash (SA7)", (_title, request, condition) => {
    const { session, text, isClosed, internalErrors } = rawSession();
    session.receive(request);
    expect(text()).toContain(`<${condition} xmlns="urn:ietf:params:xml:ns:xmpp-streams"/>`);
    expect(isClosed()).toBe(true);
    expect(internalErrors).toEqual([]);
  });

  it.each([
    ["a second authenticate after success", () => plain()],
    ["a response after success", () => `<response ${NS}>eA==</response>`],
  ])("%s: stream error policy-violation, the session ends (SA7)", (_title, request) => {
    const { session, text, isClosed } = rawSession();
    session.receive(plain("pw", "<bind xmlns='urn:xmpp:bind:0'><tag>t</tag></bind>"));
    expect(server.resources("alice")).toHaveLength(1);
    session.receive(request());
    expect(text()).toContain("<policy-violation xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>");
    expect(isClosed()).toBe(true);
    expect(server.resources("alice")).toEqual([]);
  });

  it("an authenticate while a SCRAM challenge waits: stream error policy-violation (SA7)", async () => {
    const { session, text, isClosed } = rawSession(false);
    session.receive(`<authenticate ${NS} mechanism='SCRAM-SHA-1'><initial-response>${b64(scramClientFirst("alice", "abc"))}</initial-response></authenticate>`);
    await settle(() => text().includes("<challenge"));
    session.receive(`<authenticate ${NS} mechanism='SCRAM-SHA-1'><initial-response>${b64(scramClientFirst("alice", "def"))}</initial-response></authenticate>`);
    expect(text()).toContain("<policy-violation");
    expect(isClosed()).toBe(true);
  });

  it("XEP-0198 enable inline in Bind2: <enabled/> inside <bound/>; a second enable afterwards is refused (SA4)", () => {
    const { session, sent } = rawSession();
    session.receive(plain("pw", "<bind xmlns='urn:xmpp:bind:0'><tag>t</tag><enable xmlns='urn:xmpp:sm:3' resume='true'/></bind>"));
    const success = sent.find((frame) => frame.startsWith("<success")) ?? "";
    expect(success).toMatch(/<bound xmlns="urn:xmpp:bind:0"><enabled xmlns="urn:xmpp:sm:3" id="[0-9a-f]+" resume="true" max="\d+"\/><\/bound>/);
    // Already enabled inline: a second enable is refused as XEP-0198 says.
    session.receive("<enable xmlns='urn:xmpp:sm:3'/>");
    expect(sent.at(-1)).toContain("<failed xmlns=\"urn:xmpp:sm:3\"><unexpected-request");
  });
});
