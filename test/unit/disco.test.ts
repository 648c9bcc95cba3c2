import { describe, expect, it } from "vitest";
import {
  buildDiscoInfo,
  buildDiscoInfoQuery,
  buildDiscoItems,
  buildDiscoItemsQuery,
  type DiscoInfo,
  type DiscoItems,
  iqPayload,
  NS,
  parseDiscoInfo,
  parseDiscoItems,
} from "../../src/protocol/index.js";
import { parseXml, roundTrip } from "../helpers/parse-xml.js";
import { expectPushError } from "../helpers/push-error.js";

describe("XEP-0030 disco#info", () => {
  it("buildDiscoInfoQuery: empty query, with node when given", () => {
    expect(roundTrip(buildDiscoInfoQuery()).toString()).toBe(`<query xmlns="${NS.discoInfo}"/>`);
    const withNode = roundTrip(buildDiscoInfoQuery("http://jabber.org/protocol/commands"));
    expect(withNode.attrs).toEqual({ xmlns: NS.discoInfo, node: "http://jabber.org/protocol/commands" });
  });

  it("A1/C7: identities, features and an extension form round-trip", () => {
    const info: DiscoInfo = {
      identities: [
        { category: "pubsub", type: "push", name: "Push service" },
        { category: "component", type: "generic" },
      ],
      features: [NS.push, NS.commands, NS.discoInfo],
      forms: [
        {
          type: "result",
          formType: "urn:xmpp:dataforms:softwareinfo",
          fields: [
            { var: "software", values: ["xmpp-push"] },
            { var: "software_version", values: ["0.1.0"] },
          ],
        },
      ],
    };
    const query = roundTrip(buildDiscoInfo(info));
    expect(query.getChildren("identity").map((el) => el.attrs)).toEqual([
      { category: "pubsub", type: "push", name: "Push service" },
      { category: "component", type: "generic" },
    ]);
    expect(query.getChildren("feature").map((el) => el.attrs.var)).toEqual([NS.push, NS.commands, NS.discoInfo]);
    expect(parseDiscoInfo(query)).toEqual(info);
  });

  it("a node round-trips", () => {
    const info: DiscoInfo = { node: "a8f3k2", identities: [{ category: "pubsub", type: "leaf" }], features: [], forms: [] };
    expect(parseDiscoInfo(roundTrip(buildDiscoInfo(info)))).toEqual(info);
  });

  it("C1: an account's disco#info (as Prosody answers) lists urn:xmpp:push:0", () => {
    const iq = parseXml(
      `<iq type='result' from='bob@localhost' to='bob@localhost/r1' id='d1'>
         <query xmlns='http://jabber.org/protocol/disco#info'>
           <identity category='account' type='registered'/>
           <feature var='urn:xmpp:push:0'/>
           <feature var='http://jabber.org/protocol/disco#info'/>
         </query>
       </iq>`,
    );
    const info = parseDiscoInfo(iqPayload(iq)!);
    expect(info.identities).toEqual([{ category: "account", type: "registered" }]);
    expect(info.features.includes(NS.push)).toBe(true);
    expect(info.features).toEqual([NS.push, NS.discoInfo]);
  });

  it("skips identities without category or type, keeps the rest", () => {
    const info = parseDiscoInfo(
      parseXml(
        `<query xmlns='http://jabber.org/protocol/disco#info'>
           <identity type='push'/>
           <identity category='pubsub'/>
           <identity category='' type='x'/>
           <identity category='pubsub' type='push' name=''/>
         </query>`,
      ),
    );
    expect(info.identities).toStrictEqual([{ category: "pubsub", type: "push" }]);
  });

  it("drops duplicate features and features without var", () => {
    const info = parseDiscoInfo(
      parseXml(
        `<query xmlns='http://jabber.org/protocol/disco#info'>
           <feature var='urn:xmpp:push:0'/><feature/><feature var='urn:xmpp:push:0'/><feature var='urn:xmpp:ping'/>
         </query>`,
      ),
    );
    expect(info.features).toEqual([NS.push, NS.ping]);
  });

  it("an empty disco#info parses with empty lists and no node", () => {
    expect(parseDiscoInfo(parseXml(`<query xmlns='http://jabber.org/protocol/disco#info'/>`))).toStrictEqual({
      identities: [],
      features: [],
      forms: [],
    });
  });

  it("C11: identity names with XML specials and non-ASCII survive", () => {
    const name = `Push "Dienst" <für> Ümläute & 'emoji' 📱`;
    const info = parseDiscoInfo(
      roundTrip(buildDiscoInfo({ identities: [{ category: "pubsub", type: "push", name }], features: [], forms: [] })),
    );
    expect(info.identities[0]?.name).toBe(name);
  });

  it("wrong namespace → PushError('bad-request')", () => {
    expectPushError(() => parseDiscoInfo(parseXml(`<query xmlns='http://jabber.org/protocol/disco#items'/>`)), "bad-request");
  });

  it("wrong element name → PushError('bad-request')", () => {
    expectPushError(() => parseDiscoInfo(parseXml(`<info xmlns='http://jabber.org/protocol/disco#info'/>`)), "bad-request");
  });

  it("a malformed extension form → PushError('bad-request')", () => {
    expectPushError(
      () =>
        parseDiscoInfo(
          parseXml(`<query xmlns='http://jabber.org/protocol/disco#info'><x xmlns='jabber:x:data' type='result'><field/></x></query>`),
        ),
      "bad-request",
    );
  });
});

describe("XEP-0030 disco#items", () => {
  it("buildDiscoItemsQuery: with the commands node (XEP-0050 §2.2)", () => {
    const query = roundTrip(buildDiscoItemsQuery(NS.commands));
    expect(query.attrs).toEqual({ xmlns: NS.discoItems, node: NS.commands });
    expect(roundTrip(buildDiscoItemsQuery()).attrs).toEqual({ xmlns: NS.discoItems });
  });

  it("A2/C7: the command list round-trips jid, node and name", () => {
    const items: DiscoItems = {
      node: NS.commands,
      items: [
        { jid: "push.example.net", node: "register-push-fcm", name: "Register FCM" },
        { jid: "push.example.net", node: "unregister-push", name: "Unregister" },
        { jid: "other.example.net" },
      ],
    };
    const query = roundTrip(buildDiscoItems(items));
    expect(query.getChildren("item").map((item) => item.attrs)).toEqual([
      { jid: "push.example.net", node: "register-push-fcm", name: "Register FCM" },
      { jid: "push.example.net", node: "unregister-push", name: "Unregister" },
      { jid: "other.example.net" },
    ]);
    expect(parseDiscoItems(query)).toEqual(items);
  });

  it("skips items without jid, keeps the rest in order", () => {
    const items = parseDiscoItems(
      parseXml(
        `<query xmlns='http://jabber.org/protocol/disco#items' node='http://jabber.org/protocol/commands'>
           <item node='orphan' name='No jid'/>
           <item jid='push.example.net' node='a'/>
           <item jid='' node='empty'/>
           <item jid='push.example.net' node='b' name=''/>
         </query>`,
      ),
    );
    expect(items).toStrictEqual({
      node: NS.commands,
      items: [
        { jid: "push.example.net", node: "a" },
        { jid: "push.example.net", node: "b" },
      ],
    });
  });

  it("C11: item names with specials and emoji survive", () => {
    const name = `Register <Web Push> & "FCM" — 🔔`;
    const parsed = parseDiscoItems(roundTrip(buildDiscoItems({ items: [{ jid: "push.example.net", node: "n", name }] })));
    expect(parsed.items[0]?.name).toBe(name);
  });

  it("wrong namespace → PushError('bad-request')", () => {
    expectPushError(() => parseDiscoItems(parseXml(`<query xmlns='http://jabber.org/protocol/disco#info'/>`)), "bad-request");
  });

  it("wrong element name → PushError('bad-request')", () => {
    expectPushError(() => parseDiscoItems(parseXml(`<items xmlns='http://jabber.org/protocol/disco#items'/>`)), "bad-request");
  });
});
