import { describe, expect, it } from "vitest";
import {
  applyTigaseEnable,
  buildEnable,
  type Element,
  parseEncrypted,
  parseTigaseEnable,
  parseTigaseNotification,
  TIGASE_NS,
  type TigaseEnableOptions,
} from "../../src/protocol/index.js";
import { ACCOUNT_FEATURES, ENABLE_WITH_EXTENSIONS, ENCRYPTED_PLAINTEXT_GROUPCHAT } from "../fixtures/tigase/stanzas.js";
import { parseXml, roundTrip } from "../helpers/parse-xml.js";
import { catchPushError } from "../helpers/push-error.js";

const ALL: TigaseEnableOptions = {
  encrypt: { key: "AAECAwQFBgcICQoLDA0ODw==", maxSize: 3000 },
  ignoreUnknown: true,
  muted: ["noisy@example.test"],
  groupchat: [
    { room: "team@conference.example.test", allow: "always" },
    { room: "lobby@conference.example.test", allow: "mentioned", nick: "bob" },
  ],
  away: true,
  priority: true,
  jingle: true,
};

function enableWith(options: TigaseEnableOptions, features: readonly string[]): { enable: Element; used: string[] } {
  const enable = buildEnable({ jid: "push.example.test", node: "4fd1b0a2-tigase-node" });
  const used = applyTigaseEnable(enable, options, features);
  return { enable: roundTrip(enable), used };
}

/** An element as name, namespace, attributes and children, to compare field by field. */
function shape(element: Element): unknown {
  return { name: element.name, xmlns: element.getNS(), attrs: { ...element.attrs, xmlns: undefined }, text: element.text().trim(), children: element.getChildElements().map(shape) };
}

describe("Tigase enable extensions (T4–T11)", () => {
  it("T5, T6, T7, T8, T9, T10, T11: with every feature advertised, the enable matches TigaseSwift's, field by field", () => {
    const { enable, used } = enableWith(ALL, ACCOUNT_FEATURES);
    expect(shape(enable)).toEqual(shape(parseXml(ENABLE_WITH_EXTENSIONS)));
    expect(used).toEqual([TIGASE_NS.encrypt, TIGASE_NS.ignoreUnknown, TIGASE_NS.muted, TIGASE_NS.groupchat, TIGASE_NS.away, TIGASE_NS.priority, TIGASE_NS.jingle]);
  });

  it("T4: nothing the account does not advertise; encryption needs the algorithm feature too", () => {
    const { enable, used } = enableWith(ALL, [TIGASE_NS.encrypt, TIGASE_NS.priority]);
    expect(used).toEqual([TIGASE_NS.priority]);
    expect(enable.getChildElements().map((child) => child.name)).toEqual(["priority"]);
    expect(enable.attrs.away).toBeUndefined();
    expect(enableWith(ALL, []).enable.getChildElements()).toEqual([]);
  });

  it("T7: an empty muted list sends no <muted/>; T5: max-size is left out when unknown", () => {
    const { enable } = enableWith({ muted: [], encrypt: { key: "AAECAwQFBgcICQoLDA0ODw==" } }, ACCOUNT_FEATURES);
    expect(enable.getChild("muted", TIGASE_NS.muted)).toBeUndefined();
    expect(enable.getChild("encrypt", TIGASE_NS.encrypt)?.attrs).toEqual({ xmlns: TIGASE_NS.encrypt, alg: "aes-128-gcm" });
  });

  it("T8: 'mentioned' without a nick is refused when building", () => {
    const enable = buildEnable({ jid: "push.example.test", node: "n" });
    expect(catchPushError(() => applyTigaseEnable(enable, { groupchat: [{ room: "r@muc.example.test", allow: "mentioned" }] }, ACCOUNT_FEATURES)).condition).toBe("bad-request");
  });

  it("T5–T11: parseTigaseEnable reads TigaseSwift's enable back to the same options", () => {
    expect(parseTigaseEnable(parseXml(ENABLE_WITH_EXTENSIONS))).toEqual(ALL);
    expect(parseTigaseEnable(parseXml("<enable xmlns='urn:xmpp:push:0' jid='p' node='n'/>"))).toEqual({});
  });

  it("T5, T8: an unknown algorithm, a keyless encrypt, a bad max-size are refused; rooms Tigase would not push for are skipped", () => {
    const parse = (children: string) => () => parseTigaseEnable(parseXml(`<enable xmlns='urn:xmpp:push:0' jid='p' node='n'>${children}</enable>`));
    expect(catchPushError(parse("<encrypt xmlns='tigase:push:encrypt:0' alg='aes-256-cbc'>a2V5</encrypt>")).condition).toBe("feature-not-implemented");
    expect(catchPushError(parse("<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm'/>")).condition).toBe("bad-request");
    expect(catchPushError(parse("<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm' max-size='big'>a2V5</encrypt>")).condition).toBe("bad-request");
    const rooms = parse("<groupchat xmlns='tigase:push:filter:groupchat:0'><room jid='a@m' allow='never'/><room jid='b@m' allow='mentioned'/><room allow='always'/><room jid='c@m' allow='always'/></groupchat>")();
    expect(rooms.groupchat).toEqual([{ room: "c@m", allow: "always" }]);
  });
});

describe("Tigase encrypted payloads (T12, T13)", () => {
  it("T12: parseEncrypted reads iv, payload and type; a missing iv or payload is bad-request", () => {
    expect(parseEncrypted(parseXml("<encrypted xmlns='tigase:push:encrypt:0' type='voip' iv='aXY='>cGF5</encrypted>"))).toEqual({ iv: "aXY=", payload: "cGF5", type: "voip" });
    expect(catchPushError(() => parseEncrypted(parseXml("<encrypted xmlns='tigase:push:encrypt:0'>cGF5</encrypted>"))).condition).toBe("bad-request");
    expect(catchPushError(() => parseEncrypted(parseXml("<encrypted xmlns='urn:other' iv='aXY='>cGF5</encrypted>"))).condition).toBe("bad-request");
  });

  it("T13: reads Tigase's serializer output, escapes included", () => {
    expect(parseTigaseNotification(ENCRYPTED_PLAINTEXT_GROUPCHAT)).toEqual({
      unread: 2,
      sender: "team@conference.example.test",
      type: "groupchat",
      nickname: "alice",
      message: "bob: lunch?",
    });
    expect(parseTigaseNotification(String.raw`{"message" : "To be, \\ or \"not\" \/ \n"}`).message).toBe('To be, \\ or "not" / \n');
  });
});
