/**
 * The service worker's reader of Push 2.0 envelopes (C28): the shape mod_push2 encrypts
 * (decent-im/prosody-modules `mod_push2/mod_push2.lua` @ 4c045c45f218ae49b388fea13a514c137a9f10f0,
 * `add_sce_rfc8291`: `<envelope xmlns='urn:xmpp:sce:1'><content><forwarded xmlns='urn:xmpp:forward:0'>`
 * around the stanza with xmlns jabber:client, the MAM stanza-id kept, an `<rpad>` after
 * `<content>`), and hostile input, which gives undefined and never throws.
 */

import { describe, expect, it } from "vitest";
import { readPush2Envelope } from "../../src/protocol/push2-envelope.js";

const envelope = (message: string, rpad = "<rpad>c2VjcmV0IHBhZGRpbmc=</rpad>") =>
  `<envelope xmlns='urn:xmpp:sce:1'><content><forwarded xmlns='urn:xmpp:forward:0'>${message}</forwarded></content>${rpad}</envelope>`;

const CHAT = `<message xmlns='jabber:client' from='juliet@capulet.example/balcony' to='romeo@montague.example' type='chat' id='m1'><body>Wherefore art thou, Romeo? &lt;3 &amp; &#x1F339;</body><stanza-id xmlns='urn:xmpp:sid:0' by='romeo@montague.example' id='mam-42'/><active xmlns='http://jabber.org/protocol/chatstates'/></message>`;

describe("readPush2Envelope (C28)", () => {
  it("reads sender, recipient, type, body (entities decoded), id and the MAM stanza-id", () => {
    expect(readPush2Envelope(envelope(CHAT))).toEqual({
      sender: "juliet@capulet.example/balcony",
      to: "romeo@montague.example",
      type: "chat",
      id: "m1",
      message: "Wherefore art thou, Romeo? <3 & 🌹",
      stanzaId: "mam-42",
    });
  });

  it("reads a groupchat message's nick, double-quoted attributes, whitespace between elements and a message without a body", () => {
    const groupchat = `<message xmlns="jabber:client" from="team@conference.example/Nurse" to="romeo@montague.example" type="groupchat">\n  <body>Anon, good nurse!</body>\n</message>`;
    expect(readPush2Envelope(`  ${envelope(groupchat)}\n`)).toMatchObject({ sender: "team@conference.example/Nurse", nickname: "Nurse", message: "Anon, good nurse!" });
    expect(readPush2Envelope(envelope(`<message xmlns='jabber:client' from='juliet@capulet.example'/>`, ""))).toEqual({ sender: "juliet@capulet.example" });
  });

  it("takes only the message's own body in jabber:client, not one nested in an extension", () => {
    const nested = `<message xmlns='jabber:client' from='a@example.test'><x xmlns='urn:example'><body>not this</body></x></message>`;
    expect(readPush2Envelope(envelope(nested))).toEqual({ sender: "a@example.test" });
  });

  it.each([
    ["not XML", "hello"],
    ["JSON (an XEP-0357 payload)", `{"v":1,"node":"n","summary":{}}`],
    ["another root", `<message xmlns='jabber:client' from='a@example.test'><body>x</body></message>`],
    ["the envelope in another namespace", envelope(CHAT).replace("urn:xmpp:sce:1", "urn:xmpp:sce:0")],
    ["no forwarded", `<envelope xmlns='urn:xmpp:sce:1'><content>${CHAT}</content></envelope>`],
    ["a message without from", envelope(`<message xmlns='jabber:client'><body>x</body></message>`)],
    ["an unknown entity", envelope(CHAT.replace("&lt;", "&nbsp;"))],
    ["a bare ampersand", envelope(CHAT.replace("&amp;", "&"))],
    ["a surrogate code point", envelope(CHAT.replace("&#x1F339;", "&#xD800;"))],
    ["a code point past U+10FFFF", envelope(CHAT.replace("&#x1F339;", "&#x110000;"))],
    ["a DOCTYPE with an entity bomb", `<!DOCTYPE lolz [<!ENTITY lol "lol">]>${envelope(CHAT)}`],
    ["a comment", envelope(CHAT).replace("<content>", "<content><!-- hi -->")],
    ["CDATA", envelope(CHAT.replace("<body>", "<body><![CDATA[x]]>"))],
    ["a processing instruction", `<?xml version='1.0'?>${envelope(CHAT)}`],
    ["a mismatched end tag", envelope(CHAT).replace("</content>", "</contents>")],
    ["an unclosed element", envelope(CHAT).replace("</envelope>", "")],
    ["a second root", envelope(CHAT) + envelope(CHAT)],
    ["text after the root", envelope(CHAT) + "trailing"],
    ["a duplicate attribute", envelope(CHAT.replace("type='chat'", "type='chat' type='groupchat'"))],
    ["an unquoted attribute", envelope(CHAT.replace("type='chat'", "type=chat"))],
    ["a < inside an attribute", envelope(CHAT.replace("id='m1'", "id='<m1'"))],
    ["an end tag with attributes", envelope(CHAT).replace("</content>", "</content x='1'>")],
    ["over 16 384 characters", envelope(CHAT.replace("<body>", `<body>${"a".repeat(16_384)}`))],
    ["nesting over 32 levels", envelope(CHAT.replace("<body>", "<x>".repeat(40) + "</x>".repeat(40) + "<body>"))],
    ["over 512 elements", envelope(CHAT.replace("<body>", "<x/>".repeat(600) + "<body>"))],
    ["an empty string", ""],
  ])("gives undefined for %s, without throwing", (_, text) => {
    expect(readPush2Envelope(text)).toBeUndefined();
  });

  it("stays linear on pathological input (no backtracking blow-up): long runs of attributes and of '<'", () => {
    const many = `<envelope xmlns='urn:xmpp:sce:1'${" a='1'".repeat(2000)}`;
    expect(readPush2Envelope(many)).toBeUndefined();
    expect(readPush2Envelope("<".repeat(16_000))).toBeUndefined();
    expect(readPush2Envelope(`<a ${"b".repeat(15_000)}`)).toBeUndefined();
  });
});
