/**
 * The app server as a component: stanzas it leaves unanswered, requests it does not know,
 * malformed publishers, and its link being cut or broken.
 */

import { describe, expect, it, vi } from "vitest";
import { buildDiscoInfoQuery, buildDiscoItemsQuery, buildIq, xml } from "../../../src/protocol/index.js";
import { APP, BOB, publishIq } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";
import { parseXml, roundTrip } from "../../helpers/parse-xml.js";
import { errorOf } from "../../helpers/stanza-error.js";

const app = useAppServer();
const { exchange, register } = app;

describe("component behaviour", () => {
  it("A9: IQ results, IQ errors, messages and presences get no reply", async () => {
    app.server.receive(parseXml(`<iq type="result" from="example.test" to="${APP}" id="r1"/>`));
    app.server.receive(parseXml(`<iq type="error" from="example.test" to="${APP}" id="r2"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>`));
    app.server.receive(parseXml(`<message from="${BOB}" to="${APP}"><body>hi</body></message>`));
    app.server.receive(parseXml(`<presence from="${BOB}" to="${APP}"/>`));
    // Sentinel: a request answered through the same receive → handleIq → send path, received after the four.
    const sentinel = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoInfoQuery()));
    expect(app.sent.map((stanza) => stanza.attrs.id)).toEqual([sentinel.attrs.id]);
  });

  it("A9: an unknown request is cancel/service-unavailable; a request with two payloads is bad-request", async () => {
    const ping = await exchange(buildIq({ type: "get", from: BOB, to: APP }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(errorOf(ping)).toMatchObject({ type: "cancel", condition: "service-unavailable" });
    const infoAsSet = await exchange(buildIq({ type: "set", from: BOB, to: APP }, buildDiscoInfoQuery()));
    expect(errorOf(infoAsSet)).toMatchObject({ type: "cancel", condition: "service-unavailable" });
    const two = buildIq({ type: "get", from: BOB, to: APP }, buildDiscoInfoQuery());
    two.append(buildDiscoItemsQuery());
    expect(errorOf(await exchange(two))).toMatchObject({ type: "modify", condition: "bad-request" });
    const none = buildIq({ type: "get", from: BOB, to: APP });
    expect(errorOf(await exchange(none))).toMatchObject({ type: "modify", condition: "bad-request" });
  });

  it("A9: a publisher with a malformed JID gets an error and the server keeps running", async () => {
    const bob = await register(BOB, "fcm", { token: "t" });
    const reply = await exchange(publishIq("@@/", bob.node, { secret: bob.secret }));
    expect(reply.attrs.type).toBe("error");
    const good = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(good.attrs.type).toBe("result");
  });

  it("after unlinking, replies are no longer sent; handleIq still answers", async () => {
    app.unlink();
    app.server.receive(roundTrip(buildIq({ type: "get", from: BOB, to: APP, id: "late" }, buildDiscoInfoQuery())));
    // Sentinel: the same request handled after "late", so "late"'s answer was ready (and sent, had it been) first.
    const reply = await app.server.handleIq(buildIq({ type: "get", from: BOB, to: APP, id: "direct" }, buildDiscoInfoQuery()));
    expect(reply.attrs).toMatchObject({ type: "result", id: "direct", to: BOB, from: APP });
    expect(app.sent).toEqual([]);
  });

  it("a send function that throws does not escape receive", async () => {
    let tried = 0;
    app.server.connect(() => {
      tried += 1;
      throw new Error("link broken");
    });
    expect(() => app.server.receive(roundTrip(buildIq({ type: "get", from: BOB, to: APP, id: "x" }, buildDiscoInfoQuery())))).not.toThrow();
    // The reply reached the broken link and its throw was caught (an escaped one fails the run as unhandled).
    await vi.waitFor(() => expect(tried).toBe(1), { timeout: 2000, interval: 1 });
  });
});
