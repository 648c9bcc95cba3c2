import { describe, expect, it, vi } from "vitest";
import {
  buildDisable,
  buildEnable,
  buildErrorReply,
  buildIq,
  buildResultReply,
  buildStanzaError,
  defaultErrorType,
  isStanzaErrorCondition,
  NS,
  parseStanzaError,
  PushError,
  STANZA_ERROR_CONDITIONS,
  type StanzaErrorCondition,
  type StanzaErrorType,
  xml,
} from "../../src/protocol/index.js";
import { parseXml, roundTrip } from "../helpers/parse-xml.js";

const enableRequest = () => buildIq({ type: "set", id: "e1" }, buildEnable({ jid: "push.example.net", node: "a8f3k2" }));

describe("PushError", () => {
  it("is an Error with name, condition, type, specific, stanza and cause", () => {
    const stanza = xml("iq", { type: "error" });
    const cause = new Error("root cause");
    const error = new PushError("item-not-found", "no such node", { type: "cancel", specific: "x", stanza, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(PushError);
    expect(error.name).toBe("PushError");
    expect(error.message).toBe("no such node");
    expect(error.condition).toBe("item-not-found");
    expect(error.type).toBe("cancel");
    expect(error.specific).toBe("x");
    expect(error.stanza).toBe(stanza);
    expect(error.cause).toBe(cause);
  });

  it("defaults its message to the condition and leaves the options undefined", () => {
    const error = new PushError("timeout");
    expect(error.message).toBe("timeout");
    expect(error.type).toBeUndefined();
    expect(error.specific).toBeUndefined();
    expect(error.stanza).toBeUndefined();
    expect("cause" in error).toBe(false);
  });
});

describe("C5: IQ errors map to PushError conditions", () => {
  it.each(STANZA_ERROR_CONDITIONS.map((condition) => [condition]))(
    "C5: <%s/> in an error reply to enable → PushError with that condition",
    (condition: StanzaErrorCondition) => {
      const type = defaultErrorType(condition);
      const reply = roundTrip(buildErrorReply(enableRequest(), buildStanzaError(type, condition)));
      const error = parseStanzaError(reply);
      expect(error).toBeInstanceOf(PushError);
      expect(error.condition).toBe(condition);
      expect(error.type).toBe(type);
      expect(error.specific).toBeUndefined();
      expect(error.message).toBe(condition);
      expect(error.stanza).toBe(reply);
    },
  );

  it("C5: ejabberd's answer to an enable without node (cancel/feature-not-implemented) as read from the wire", () => {
    const reply = parseXml(
      `<iq type='error' id='e1' to='bob@localhost/r1'>
         <enable xmlns='urn:xmpp:push:0' jid='push.localhost'/>
         <error type='cancel'>
           <feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
           <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>Enabling push without 'node' attribute is not supported</text>
         </error>
       </iq>`,
    );
    const error = parseStanzaError(reply);
    expect(error.condition).toBe("feature-not-implemented");
    expect(error.type).toBe("cancel");
    expect(error.message).toBe("Enabling push without 'node' attribute is not supported");
  });

  it("C5: text and an application-specific condition are carried", () => {
    const reply = roundTrip(
      buildErrorReply(
        enableRequest(),
        buildStanzaError("modify", "bad-request", {
          text: `missing <node> & "jid" — ✗`,
          specific: { name: "nodeid-required", xmlns: "http://jabber.org/protocol/pubsub#errors" },
        }),
      ),
    );
    const error = parseStanzaError(reply);
    expect(error.condition).toBe("bad-request");
    expect(error.type).toBe("modify");
    expect(error.message).toBe(`missing <node> & "jid" — ✗`);
    expect(error.specific).toBe("nodeid-required");
  });

  it("C5: an unknown condition in the stanzas namespace → 'undefined-condition'", () => {
    const error = parseStanzaError(
      parseXml(`<iq type='error' id='1'><error type='cancel'><totally-new-condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`),
    );
    expect(error).toBeInstanceOf(PushError);
    expect(error.condition).toBe("undefined-condition");
    expect(error.type).toBe("cancel");
    expect(error.specific).toBeUndefined();
  });

  it("C5: a defined condition name in a foreign namespace is not the condition → 'undefined-condition', kept as specific", () => {
    const error = parseStanzaError(parseXml(`<iq type='error' id='1'><error type='cancel'><item-not-found xmlns='urn:example'/></error></iq>`));
    expect(error.condition).toBe("undefined-condition");
    expect(error.specific).toBe("item-not-found");
  });

  it("C5: an <error> without any condition → 'undefined-condition'", () => {
    const error = parseStanzaError(parseXml(`<iq type='error' id='1'><error type='wait'/></iq>`));
    expect(error.condition).toBe("undefined-condition");
    expect(error.type).toBe("wait");
  });

  it("C5: a missing <error> child → 'undefined-condition', the stanza kept", () => {
    const iq = parseXml(`<iq type='error' id='1'/>`);
    const error = parseStanzaError(iq);
    expect(error).toBeInstanceOf(PushError);
    expect(error.condition).toBe("undefined-condition");
    expect(error.type).toBeUndefined();
    expect(error.stanza).toBe(iq);
  });

  it("an invalid or missing error type reads as undefined", () => {
    for (const source of [
      `<iq type='error'><error type='fatal'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
      `<iq type='error'><error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
    ]) {
      const error = parseStanzaError(parseXml(source));
      expect(error.condition).toBe("conflict");
      expect(error.type).toBeUndefined();
    }
  });

  it("a bare <error> element is read directly", () => {
    const error = parseStanzaError(roundTrip(buildStanzaError("auth", "not-authorized", { text: "wrong secret" })));
    expect(error.condition).toBe("not-authorized");
    expect(error.type).toBe("auth");
    expect(error.message).toBe("wrong secret");
  });

  it("errors of messages are read too", () => {
    const error = parseStanzaError(
      parseXml(`<message type='error' from='a@b'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`),
    );
    expect(error.condition).toBe("service-unavailable");
  });
});

describe("buildStanzaError", () => {
  it("serializes type, the condition, then text, then the specific condition", () => {
    const error = roundTrip(
      buildStanzaError("cancel", "item-not-found", { text: "gone", specific: { name: "bad-sessionid", xmlns: NS.commands } }),
    );
    expect(error.attrs).toEqual({ type: "cancel" });
    expect(error.getChildElements().map((child) => `${child.name} ${String(child.attrs.xmlns)}`)).toEqual([
      `item-not-found ${NS.stanzas}`,
      `text ${NS.stanzas}`,
      `bad-sessionid ${NS.commands}`,
    ]);
    expect(error.getChildText("text", NS.stanzas)).toBe("gone");
  });
});

describe("buildErrorReply / buildResultReply", () => {
  const request = buildIq(
    { type: "set", id: "req-9", from: "bob@example.com/phone", to: "push.example.net" },
    buildDisable({ jid: "push.example.net", node: "n" }),
  );

  it("buildErrorReply swaps to/from, keeps the id and carries the <error>", () => {
    const reply = roundTrip(buildErrorReply(request, buildStanzaError("cancel", "item-not-found")));
    expect(reply.name).toBe("iq");
    expect(reply.attrs).toEqual({ type: "error", id: "req-9", to: "bob@example.com/phone", from: "push.example.net" });
    expect(reply.getChildElements().map((child) => child.name)).toEqual(["error"]);
    expect(parseStanzaError(reply).condition).toBe("item-not-found");
  });

  it("buildResultReply swaps to/from, keeps the id, with and without payload", () => {
    const empty = roundTrip(buildResultReply(request));
    expect(empty.attrs).toEqual({ type: "result", id: "req-9", to: "bob@example.com/phone", from: "push.example.net" });
    expect(empty.getChildElements()).toHaveLength(0);

    const withPayload = roundTrip(buildResultReply(request, xml("query", { xmlns: NS.discoInfo })));
    expect(withPayload.attrs.id).toBe("req-9");
    expect(withPayload.getChild("query", NS.discoInfo)).toBeDefined();
  });

  it("a request without from/to (client → own server) gets a reply without to/from", () => {
    const reply = roundTrip(buildErrorReply(enableRequest(), buildStanzaError("modify", "bad-request")));
    expect(reply.attrs).toEqual({ type: "error", id: "e1" });
    expect(roundTrip(buildResultReply(enableRequest())).attrs).toEqual({ type: "result", id: "e1" });
  });

  it("buildErrorReply answers a message with a message", () => {
    const message = parseXml(`<message from='a@b/c' to='d@e' id='m1'><body>x</body></message>`);
    const reply = roundTrip(buildErrorReply(message, buildStanzaError("cancel", "service-unavailable")));
    expect(reply.name).toBe("message");
    expect(reply.attrs).toEqual({ type: "error", id: "m1", to: "a@b/c", from: "d@e" });
  });
});

describe("defaultErrorType (RFC 6120 §8.3.3)", () => {
  const expected: Record<StanzaErrorCondition, StanzaErrorType> = {
    "bad-request": "modify",
    conflict: "cancel",
    "feature-not-implemented": "cancel",
    forbidden: "auth",
    gone: "cancel",
    "internal-server-error": "cancel",
    "item-not-found": "cancel",
    "jid-malformed": "modify",
    "not-acceptable": "modify",
    "not-allowed": "cancel",
    "not-authorized": "auth",
    "policy-violation": "modify",
    "recipient-unavailable": "wait",
    redirect: "modify",
    "registration-required": "auth",
    "remote-server-not-found": "cancel",
    "remote-server-timeout": "wait",
    "resource-constraint": "wait",
    "service-unavailable": "cancel",
    "subscription-required": "auth",
    "undefined-condition": "cancel",
    "unexpected-request": "wait",
  };

  it("covers every defined condition", () => {
    expect(Object.keys(expected).sort()).toEqual([...STANZA_ERROR_CONDITIONS].sort());
  });

  it.each(Object.entries(expected))("%s → %s", (condition, type) => {
    expect(defaultErrorType(condition as StanzaErrorCondition)).toBe(type);
  });
});

describe("isStanzaErrorCondition", () => {
  it("accepts the 22 RFC 6120 conditions and nothing else", () => {
    expect(STANZA_ERROR_CONDITIONS).toHaveLength(22);
    for (const condition of STANZA_ERROR_CONDITIONS) expect(isStanzaErrorCondition(condition)).toBe(true);
    for (const other of ["timeout", "bad-response", "payment-required", "", "Bad-Request", "text"]) {
      expect(isStanzaErrorCondition(other)).toBe(false);
    }
  });
});

describe("PushError across bundles", () => {
  it("instanceof holds for a PushError made by another copy of the class", async () => {
    // A second copy of the module, as a separately bundled entry would carry.
    vi.resetModules();
    const copy = await import("../../src/protocol/errors.js");
    expect(copy.PushError).not.toBe(PushError);
    const foreign = new copy.PushError("timeout");
    expect(foreign instanceof PushError).toBe(true);
    expect(new PushError("timeout") instanceof copy.PushError).toBe(true);
    expect(new Error("x") instanceof PushError).toBe(false);
    expect({ condition: "timeout" } instanceof PushError).toBe(false);
  });

  it("an object on PushError's prototype chain is one before the constructor has marked it", () => {
    // Babel's class transform (React Native's Metro bundles) starts the constructor with
    // `if (!(this instanceof PushError)) throw new TypeError("Cannot call a class as a function")`.
    expect(Object.create(PushError.prototype) instanceof PushError).toBe(true);
    expect(Object.create(Error.prototype) instanceof PushError).toBe(false);
  });
});
