import { describe, expect, it } from "vitest";
import {
  bareJid,
  buildEnable,
  buildIq,
  buildNotification,
  buildPublish,
  iqPayload,
  NS,
  parseEnable,
  parseNotification,
  parsePublish,
  publishOptionValues,
  xml,
} from "../../src/protocol/index.js";
import { parseXml, roundTrip } from "../helpers/parse-xml.js";
import { expectPushError } from "../helpers/push-error.js";

/** The publish-options `<x>` a server stored from a client's enable, as it came off the wire. */
function storedPublishOptions(secret = "c0ffee") {
  const enable = roundTrip(buildEnable({ jid: "push.example.net", node: "a8f3k2", publishOptions: { secret } }));
  return parseEnable(enable).publishOptions!;
}

describe("pubsub publish: build → serialize → parse", () => {
  it("S7: the notification sits in <pubsub><publish node><item>, the IQ comes from the account's bare JID", () => {
    const iq = roundTrip(
      buildIq(
        { type: "set", id: "p1", from: bareJid("bob@example.com/phone"), to: "push.example.net" },
        buildPublish({ node: "a8f3k2", payload: buildNotification({ summary: { messageCount: 1 } }) }),
      ),
    );
    expect(iq.attrs).toEqual({ type: "set", id: "p1", from: "bob@example.com", to: "push.example.net" });
    const pubsub = iqPayload(iq)!;
    expect(pubsub.is("pubsub", NS.pubsub)).toBe(true);
    const publish = pubsub.getChild("publish");
    expect(publish?.attrs).toEqual({ node: "a8f3k2" });
    const items = publish?.getChildren("item") ?? [];
    expect(items).toHaveLength(1);
    expect(items[0]?.attrs).toEqual({});
    const [notification] = items[0]!.getChildElements();
    expect(notification?.is("notification", NS.push)).toBe(true);
    expect(pubsub.getChild("publish-options")).toBeUndefined();

    const parsed = parsePublish(pubsub);
    expect(parsed.node).toBe("a8f3k2");
    expect(parsed.hasItem).toBe(true);
    expect(parsed.itemId).toBeUndefined();
    expect(parsed.publishOptions).toBeUndefined();
    expect(parseNotification(parsed.payload!)).toStrictEqual({ summary: { messageCount: 1 }, extensions: [] });
  });

  it("S9: the registration's publish-options <x> is copied verbatim into <publish-options>", () => {
    const stored = storedPublishOptions(`c0ffee<&>"'🔑`);
    const pubsub = roundTrip(buildPublish({ node: "a8f3k2", payload: buildNotification(), publishOptions: stored }));
    const copied = pubsub.getChild("publish-options")?.getChild("x", NS.dataForms);
    expect(copied?.toString()).toBe(stored.toString());

    const parsed = parsePublish(pubsub);
    expect(parsed.publishOptions).toStrictEqual({
      type: "submit",
      formType: NS.publishOptions,
      fields: [{ var: "secret", values: [`c0ffee<&>"'🔑`] }],
    });
    expect(publishOptionValues(copied!)).toEqual({ secret: `c0ffee<&>"'🔑` });
  });

  it("S9: the stored publish-options element is cloned, so it can be replayed in every publish unchanged", () => {
    const stored = storedPublishOptions();
    const parentBefore = stored.parent;
    const first = buildPublish({ node: "n", publishOptions: stored }).toString();
    const second = buildPublish({ node: "n", publishOptions: stored }).toString();
    expect(second).toBe(first);
    expect(stored.parent).toBe(parentBefore);
    expect(stored.parent?.name).toBe("enable");
  });

  it("publish-options given as a DataForm are built as a form", () => {
    const pubsub = roundTrip(
      buildPublish({
        node: "n",
        payload: buildNotification(),
        publishOptions: { type: "submit", formType: NS.publishOptions, fields: [{ var: "secret", values: ["s"] }] },
      }),
    );
    expect(parsePublish(pubsub).publishOptions).toStrictEqual({
      type: "submit",
      formType: NS.publishOptions,
      fields: [{ var: "secret", values: ["s"] }],
    });
  });

  it("an item id round-trips", () => {
    const parsed = parsePublish(roundTrip(buildPublish({ node: "n", itemId: "item-1", payload: xml("entry", { xmlns: "urn:example" }) })));
    expect(parsed.itemId).toBe("item-1");
    expect(parsed.payload?.toString()).toBe(`<entry xmlns="urn:example"/>`);
  });

  it("an empty <item/> parses with hasItem true and no payload", () => {
    const parsed = parsePublish(roundTrip(buildPublish({ node: "n" })));
    expect(parsed).toStrictEqual({ node: "n", hasItem: true });
  });

  it("A9: a publish without <item> parses with hasItem false (the app server answers bad-request)", () => {
    const parsed = parsePublish(parseXml(`<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'/></pubsub>`));
    expect(parsed).toStrictEqual({ node: "n", hasItem: false });
  });

  it("only the first child of <item> is the payload", () => {
    const parsed = parsePublish(
      parseXml(
        `<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item>
           <notification xmlns='urn:xmpp:push:0'/><extra xmlns='urn:example'/>
         </item></publish></pubsub>`,
      ),
    );
    expect(parsed.payload?.is("notification", NS.push)).toBe(true);
  });

  describe("malformed publishes → PushError('bad-request')", () => {
    it("publish without node, with the pubsub <nodeid-required/> specific condition", () => {
      const error = expectPushError(
        () => parsePublish(parseXml(`<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish><item/></publish></pubsub>`)),
        "bad-request",
      );
      expect(error.specific).toBe("nodeid-required");
    });

    it("publish with an empty node", () => {
      // Parsed from the wire: buildPublish itself refuses an empty node (see below).
      expectPushError(() => parsePublish(parseXml(`<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node=''><item/></publish></pubsub>`)), "bad-request");
    });

    it("buildPublish with an empty node throws PushError('bad-request')", () => {
      expectPushError(() => buildPublish({ node: "" }), "bad-request");
      expectPushError(() => buildPublish({ node: "", payload: buildNotification(), publishOptions: storedPublishOptions() }), "bad-request");
    });

    it("pubsub without <publish>", () => {
      expectPushError(
        () => parsePublish(parseXml(`<pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='n' jid='a@b'/></pubsub>`)),
        "bad-request",
      );
    });

    it("wrong namespace (pubsub#owner)", () => {
      expectPushError(
        () => parsePublish(parseXml(`<pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><publish node='n'/></pubsub>`)),
        "bad-request",
      );
    });

    it("wrong element name", () => {
      expectPushError(() => parsePublish(parseXml(`<publish xmlns='http://jabber.org/protocol/pubsub' node='n'/>`)), "bad-request");
    });

    it("publish-options holding a malformed form", () => {
      expectPushError(
        () =>
          parsePublish(
            parseXml(
              `<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item/></publish>
                 <publish-options><x xmlns='jabber:x:data'><field var='secret'><value>s</value></field></x></publish-options>
               </pubsub>`,
            ),
          ),
        "bad-request",
      );
    });
  });
});
