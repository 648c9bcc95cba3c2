import { describe, expect, it } from "vitest";
import { hideSecrets } from "../../src/client/hide-secrets.js";
import { parseXml } from "../../src/protocol/index.js";

const HIDDEN = '<hidden xmlns="urn:xmpp-push:trace"/>';

describe("hideSecrets", () => {
  it("hides a component's handshake, whose namespace comes from the stream", () => {
    const handshake = parseXml('<stream:stream xmlns:stream="http://etherx.jabber.org/streams" xmlns="jabber:component:accept"><handshake>5f1e…digest</handshake></stream:stream>').getChild("handshake")!;
    expect(hideSecrets(handshake).toString()).toBe(`<handshake>${HIDDEN}</handshake>`);
    expect(handshake.text()).toBe("5f1e…digest");
  });

  it("hides every SCRAM step, and leaves an empty <success/> as it is", () => {
    for (const name of ["auth", "challenge", "response", "success"]) {
      const element = parseXml(`<${name} xmlns="urn:ietf:params:xml:ns:xmpp-sasl">cj1maXhlZA==</${name}>`);
      expect(hideSecrets(element).toString()).toBe(`<${name} xmlns="urn:ietf:params:xml:ns:xmpp-sasl">${HIDDEN}</${name}>`);
    }
    expect(hideSecrets(parseXml('<success xmlns="urn:ietf:params:xml:ns:xmpp-sasl"/>')).toString()).toBe('<success xmlns="urn:ietf:params:xml:ns:xmpp-sasl"/>');
  });

  it("hides SASL2's initial response, additional data and FAST token but keeps the rest", () => {
    const authenticate = parseXml('<authenticate xmlns="urn:xmpp:sasl:2" mechanism="PLAIN"><initial-response>AGJvYgBwdw==</initial-response><user-agent id="d4"/></authenticate>');
    expect(hideSecrets(authenticate).toString()).toBe(`<authenticate xmlns="urn:xmpp:sasl:2" mechanism="PLAIN"><initial-response>${HIDDEN}</initial-response><user-agent id="d4"/></authenticate>`);
    const success = parseXml('<success xmlns="urn:xmpp:sasl:2"><additional-data>dj1w</additional-data><token xmlns="urn:xmpp:fast:0" token="s3cr3t" expiry="2030-01-01T00:00:00Z"/></success>');
    const shown = hideSecrets(success).toString();
    expect(shown).toContain(`<additional-data>${HIDDEN}</additional-data>`);
    expect(shown).toContain('token="hidden"');
    expect(shown).not.toContain("s3cr3t");
  });

  it("hides data-form fields named secret at any depth, and no other field", () => {
    const enable = parseXml(
      '<iq type="set"><enable xmlns="urn:xmpp:push:0" jid="push.example.test" node="n1"><x xmlns="jabber:x:data" type="submit"><field var="FORM_TYPE"><value>http://jabber.org/protocol/pubsub#publish-options</value></field><field var="secret"><value>eruio234</value></field></x></enable></iq>',
    );
    const shown = hideSecrets(enable).toString();
    expect(shown).toContain(`<field var="secret"><value>${HIDDEN}</value></field>`);
    expect(shown).toContain("<value>http://jabber.org/protocol/pubsub#publish-options</value>");
    expect(shown).not.toContain("eruio234");
    expect(enable.toString()).toContain("eruio234");
  });
});
