/**
 * Publishes to a push node: who may publish, the secret check, unknown nodes, malformed requests,
 * tokens the provider rejects, and publishes as Prosody and ejabberd really send them.
 */

import { beforeEach, describe, expect, it } from "vitest";
import { buildIq, buildNotification, buildPublish, formFromValues, NS, type Summary, xml } from "../../../src/protocol/index.js";
import type { Delivery } from "../../../src/sim/index.js";
import { ejabberdPublish, prosodyPublish } from "../../fixtures/recorded-publishes.js";
import { ALICE, APP, BOB, publishIq } from "../../helpers/app-server-fixtures.js";
import { type Registered, useAppServer } from "../../helpers/app-server-harness.js";
import { parseXml } from "../../helpers/parse-xml.js";
import { errorOf } from "../../helpers/stanza-error.js";

const app = useAppServer();
const { exchange, register, recorded } = app;

describe("publish", () => {
  let bob: Registered;

  beforeEach(async () => {
    bob = await register(BOB, "fcm", { token: "bob-fcm-token" });
  });

  it("A6: a publish with the right secret from the owner's bare JID is delivered and answered with an empty result", async () => {
    const delivered = recorded("delivered");
    const summary: Summary = { messageCount: 2, lastMessageSender: "alice@example.test/tablet", lastMessageBody: "Hi" };
    const reply = await exchange(publishIq("bob@example.test", bob.node, { secret: bob.secret, summary }));
    expect(reply.attrs.type).toBe("result");
    expect(reply.getChildElements()).toEqual([]);
    const expected: Delivery = {
      provider: "fcm",
      token: "bob-fcm-token",
      node: bob.node,
      summary,
      owner: "bob@example.test",
      deviceId: "phone",
      at: app.clock,
    };
    expect(app.server.deliveries).toEqual([expected]);
    expect(delivered).toEqual([expected]);
  });

  it("A6: a publish without a secret is auth/not-authorized and delivers nothing", async () => {
    const rejected = recorded("rejected");
    const reply = await exchange(publishIq("example.test", bob.node, { summary: { messageCount: 1 } }));
    expect(errorOf(reply)).toEqual({ type: "auth", condition: "not-authorized", specific: undefined, text: "publish-options carry no secret" });
    expect(app.server.deliveries).toEqual([]);
    expect(rejected).toEqual([{ node: bob.node, from: "example.test", condition: "not-authorized" }]);
  });

  it("A6: a publish with a wrong secret (or another registration's) is auth/not-authorized and delivers nothing", async () => {
    const alice = await register(ALICE, "fcm", { token: "alice-token" });
    for (const secret of ["wrong", alice.secret, bob.secret.toUpperCase()]) {
      const reply = await exchange(publishIq("example.test", bob.node, { secret }));
      expect(errorOf(reply)).toMatchObject({ type: "auth", condition: "not-authorized", text: "wrong secret" });
    }
    expect(app.server.deliveries).toEqual([]);
  });

  it("A6: only the owner's bare JID or the owner's domain may publish — others are auth/forbidden", async () => {
    const rejected = recorded("rejected");
    for (const from of ["alice@example.test", BOB, "other.test", "bob@other.test", "example.test/resource", "sub.example.test"]) {
      const reply = await exchange(publishIq(from, bob.node, { secret: bob.secret }));
      expect(errorOf(reply)).toMatchObject({ type: "auth", condition: "forbidden" });
    }
    const anonymous = await exchange(publishIq("", bob.node, { secret: bob.secret }));
    expect(errorOf(anonymous)).toMatchObject({ type: "auth", condition: "forbidden" });
    expect(app.server.deliveries).toEqual([]);
    expect(rejected.map((r) => r.condition)).toEqual(Array(7).fill("forbidden"));
    expect(rejected[0]).toEqual({ node: bob.node, from: "alice@example.test", condition: "forbidden" });
  });

  it("A7: a publish to an unknown node is cancel/item-not-found", async () => {
    const reply = await exchange(publishIq("example.test", "0123456789abcdef0123456789abcdef", { secret: bob.secret }));
    expect(errorOf(reply)).toMatchObject({ type: "cancel", condition: "item-not-found" });
    expect(app.server.deliveries).toEqual([]);
  });

  it("A9: malformed publishes are modify/bad-request and the server keeps answering", async () => {
    const rejected = recorded("rejected");
    const secretOptions = formFromValues("submit", NS.publishOptions, { secret: bob.secret });
    const noPublish = xml("pubsub", { xmlns: NS.pubsub });
    const noNode = xml("pubsub", { xmlns: NS.pubsub }, xml("publish", {}, xml("item", {}, buildNotification())));
    const noItem = xml("pubsub", { xmlns: NS.pubsub }, xml("publish", { node: bob.node }));
    const emptyItem = buildPublish({ node: bob.node, publishOptions: secretOptions });
    const wrongPayload = buildPublish({ node: bob.node, payload: xml("notification", { xmlns: "urn:example:other" }), publishOptions: secretOptions });
    const brokenSummary = buildPublish({
      node: bob.node,
      payload: xml("notification", { xmlns: NS.push }, xml("x", { xmlns: NS.dataForms, type: "bogus" })),
      publishOptions: secretOptions,
    });
    for (const pubsub of [noPublish, noNode, noItem, emptyItem, wrongPayload, brokenSummary]) {
      const reply = await exchange(buildIq({ type: "set", from: "example.test", to: APP }, pubsub));
      expect(errorOf(reply)).toMatchObject({ type: "modify", condition: "bad-request" });
    }
    expect(rejected.map((r) => r.node)).toEqual(["", "", bob.node, bob.node, bob.node, bob.node]);
    expect(app.server.deliveries).toEqual([]);

    const good = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(good.attrs.type).toBe("result");
    expect(app.server.deliveries).toHaveLength(1);
  });

  it("A9: a publish without a node carries pubsub's nodeid-required", async () => {
    const noNode = xml("pubsub", { xmlns: NS.pubsub }, xml("publish", {}, xml("item", {}, buildNotification())));
    const reply = await exchange(buildIq({ type: "set", from: "example.test", to: APP }, noNode));
    const specific = reply.getChild("error")?.getChild("nodeid-required", "http://jabber.org/protocol/pubsub#errors");
    expect(specific).toBeDefined();
  });

  it("A9: an empty <notification/> is delivered with an empty summary", async () => {
    const reply = await exchange(publishIq("bob@example.test", bob.node, { secret: bob.secret }));
    expect(reply.attrs.type).toBe("result");
    expect(app.server.deliveries.map((d) => d.summary)).toEqual([{}]);
  });

  it("A8: failToken — the provider rejects the token, the registration goes, this and the next publish are item-not-found", async () => {
    const unregistered = recorded("unregistered");
    const rejected = recorded("rejected");
    app.server.failToken("bob-fcm-token");
    const first = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(errorOf(first)).toEqual({
      type: "cancel",
      condition: "item-not-found",
      specific: undefined,
      text: "the fcm push service rejected the device token; the node was removed",
    });
    expect(app.server.registrations()).toEqual([]);
    expect(unregistered.map((r) => [r.node, r.token])).toEqual([[bob.node, "bob-fcm-token"]]);
    const second = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(errorOf(second)).toMatchObject({ type: "cancel", condition: "item-not-found", text: `no push node '${bob.node}'` });
    expect(app.server.deliveries).toEqual([]);
    expect(rejected.map((r) => r.condition)).toEqual(["item-not-found", "item-not-found"]);
  });

  it("A8: a failed token only affects registrations with that token", async () => {
    const alice = await register(ALICE, "fcm", { token: "alice-token" });
    app.server.failToken("bob-fcm-token");
    const reply = await exchange(publishIq("alice@example.test", alice.node, { secret: alice.secret }));
    expect(reply.attrs.type).toBe("result");
    expect(app.server.deliveries.map((d) => d.token)).toEqual(["alice-token"]);
  });
});

describe("real servers' publishes", () => {
  it("A6: Prosody's publish (from the domain, summary type form, empty fields left in) is delivered", async () => {
    const bob = await register(BOB, "fcm", { token: "bob-fcm-token" });
    const prosody = parseXml(
      prosodyPublish({ to: APP, from: "example.test", id: "3f2a9c0d1e7b4a6f8c5d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b", node: bob.node, secret: bob.secret }),
    );
    const reply = await app.server.handleIq(prosody);
    expect(reply.attrs).toEqual({
      type: "result",
      id: "3f2a9c0d1e7b4a6f8c5d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b",
      to: "example.test",
      from: APP,
    });
    expect(app.server.deliveries).toEqual([
      {
        provider: "fcm",
        token: "bob-fcm-token",
        node: bob.node,
        summary: { messageCount: 1, lastMessageBody: "New Message!" },
        owner: "bob@example.test",
        deviceId: "phone",
        at: app.clock,
      },
    ]);
  });

  it("A6: ejabberd's publish (from the domain, summary type submit, no message-count) is delivered", async () => {
    const bob = await register(BOB, "apns", { token: "bob-apns-token" });
    const ejabberd = parseXml(ejabberdPublish({ to: APP, from: "example.test", id: "rr-A1b2C3d4", node: bob.node, secret: bob.secret }));
    app.server.receive(ejabberd);
    const reply = await app.replyTo("rr-A1b2C3d4");
    expect(reply.attrs.type).toBe("result");
    expect(app.server.deliveries.map((d) => [d.provider, d.token, d.summary])).toEqual([
      ["apns", "bob-apns-token", { lastMessageBody: "New message" }],
    ]);
  });
});
