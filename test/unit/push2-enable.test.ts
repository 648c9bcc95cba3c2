/**
 * The Push 2.0 enable builder, read back by a parser written here from the ProtoXEP text alone
 * (prosody-modules `mod_push2/push2.markdown`, decent-im/prosody-modules @
 * c8eddb62082f3862818b5b70abd66bf928295a0f) — not the reference server's parser — and compared
 * with Borogove's stanza shape (test/fixtures/push2/borogove-enable.ts). C22, C23.
 */

import { describe, expect, it } from "vitest";
import { buildPush2Disable, buildPush2Enable, type Element, PUSH2_MATCH, PushError } from "../../src/protocol/index.js";
import { BOROGOVE_DISABLE, BOROGOVE_ENABLE, FIXTURE_BYTES } from "../fixtures/push2/borogove-enable.js";
import { parseXml } from "../helpers/parse-xml.js";

interface SpecEnable {
  service: string;
  client: string;
  matches: { profile: string; grace?: number; filters: { jid: string; mention: boolean; reply: boolean }[]; send: SpecSend }[];
}
interface SpecSend {
  profile: string;
  uaPublic: string;
  authSecret: string;
  jwtAlg?: string;
  jwtKey?: string;
  claims: Record<string, string>;
}

/** Reads an enable as the ProtoXEP describes it, refusing anything it does not describe. */
function readSpecEnable(enable: Element): SpecEnable {
  const fail = (why: string): never => {
    throw new Error(`not a ProtoXEP enable: ${why}`);
  };
  if (enable.name !== "enable" || enable.attrs.xmlns !== "urn:xmpp:push2:0") fail("root");
  if (Object.keys(enable.attrs).length !== 1) fail("attributes on <enable>");
  const text = (element: Element): string => {
    if (element.getChildElements().length > 0) fail(`<${element.name}> has children`);
    return element.text();
  };
  let service: string | undefined;
  let client: string | undefined;
  const matches: SpecEnable["matches"] = [];
  for (const child of enable.getChildElements()) {
    if (child.name === "service") service = text(child);
    else if (child.name === "client") client = text(child);
    else if (child.name === "match") {
      const profile = child.attrs.profile ?? fail("match without profile");
      const filters: SpecEnable["matches"][number]["filters"] = [];
      let grace: number | undefined;
      let send: SpecSend | undefined;
      for (const part of child.getChildElements()) {
        if (part.name === "grace") grace = /^\d+$/.test(text(part)) ? Number(text(part)) : fail("grace not in seconds");
        else if (part.name === "filter") {
          const names = part.getChildElements().map((flag) => flag.name);
          if (names.some((name) => name !== "mention" && name !== "reply")) fail("filter child");
          filters.push({ jid: part.attrs.jid ?? fail("filter without jid"), mention: names.includes("mention"), reply: names.includes("reply") });
        } else if (part.name === "send" && part.attrs.xmlns === "urn:xmpp:push2:send:sce+rfc8291+rfc8292:0") {
          const values: Record<string, string> = {};
          const claims: Record<string, string> = {};
          for (const field of part.getChildElements()) {
            if (field.name === "jwt-claim") claims[field.attrs.name ?? fail("claim without name")] = text(field);
            else if (["ua-public", "auth-secret", "jwt-alg", "jwt-key"].includes(field.name)) values[field.name] = text(field);
            else fail(`send child <${field.name}>`);
          }
          send = {
            profile: part.attrs.xmlns,
            uaPublic: values["ua-public"] ?? fail("no ua-public"),
            authSecret: values["auth-secret"] ?? fail("no auth-secret"),
            claims,
            ...(values["jwt-alg"] === undefined ? {} : { jwtAlg: values["jwt-alg"] }),
            ...(values["jwt-key"] === undefined ? {} : { jwtKey: values["jwt-key"] }),
          };
        } else fail(`match child <${part.name}>`);
      }
      matches.push({ profile, filters, send: send ?? fail("match without send"), ...(grace === undefined ? {} : { grace }) });
    } else fail(`enable child <${child.name}>`);
  }
  return { service: service ?? fail("no service"), client: client ?? fail("no client"), matches };
}

/** ProtoXEP: "Base64 encoded" — the standard alphabet (RFC 4648 §4). */
function base64Bytes(text: string): number[] {
  expect(text).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
  return [...Buffer.from(text, "base64")];
}

const request = {
  service: "relay.example.test",
  client: "https://push.example.net/wpush/v2/abc123",
  grace: 144,
  filters: [
    { jid: "team@conference.example.test", mention: true, reply: true },
    { jid: "noisy@conference.example.test", mention: true },
  ],
  ...FIXTURE_BYTES,
  claims: { aud: "https://push.example.net" },
};

describe("buildPush2Enable (C22, C23)", () => {
  it("builds what the ProtoXEP describes: service, client, match important with grace and filters, the Web Push send profile", () => {
    const parsed = readSpecEnable(parseXml(buildPush2Enable(request).toString()));
    expect(parsed).toEqual({
      service: "relay.example.test",
      client: "https://push.example.net/wpush/v2/abc123",
      matches: [
        {
          profile: "urn:xmpp:push2:match:important",
          grace: 144,
          filters: [
            { jid: "team@conference.example.test", mention: true, reply: true },
            { jid: "noisy@conference.example.test", mention: true, reply: false },
          ],
          send: {
            profile: "urn:xmpp:push2:send:sce+rfc8291+rfc8292:0",
            uaPublic: expect.any(String),
            authSecret: expect.any(String),
            jwtAlg: "ES256",
            jwtKey: expect.any(String),
            claims: { aud: "https://push.example.net" },
          },
        },
      ],
    });
    const send = parsed.matches[0]!.send;
    expect(base64Bytes(send.uaPublic)).toEqual([...FIXTURE_BYTES.uaPublic]);
    expect(base64Bytes(send.authSecret)).toEqual([...FIXTURE_BYTES.authSecret]);
    expect(base64Bytes(send.jwtKey!)).toEqual([...FIXTURE_BYTES.jwtKey]);
  });

  it("has Borogove's shape: the same elements in the same order, the same text, differing only in aud (origin, RFC 8292 §2, where Borogove sends the host)", () => {
    const ours = buildPush2Enable(request);
    const theirs = parseXml(BOROGOVE_ENABLE).getChild("enable", "urn:xmpp:push2:0")!;
    const shape = (element: Element): unknown => ({
      name: element.name,
      attrs: element.attrs,
      text: element.getChildElements().length === 0 ? element.text() : undefined,
      children: element.getChildElements().map(shape),
    });
    const claim = (enable: Element) => enable.getChild("match")!.getChild("send")!.getChild("jwt-claim")!;
    expect(claim(ours).text()).toBe("https://push.example.net");
    expect(claim(theirs).text()).toBe("push.example.net");
    claim(ours).children = ["push.example.net"];
    expect(shape(parseXml(ours.toString()))).toEqual(shape(theirs));
    // And the ProtoXEP reader takes Borogove's as it takes ours.
    expect(readSpecEnable(theirs).matches[0]!.filters).toEqual(readSpecEnable(ours).matches[0]!.filters);
  });

  it("defaults to match:important, leaves grace and filters out when not given, takes the other profiles", () => {
    const { grace: _grace, filters: _filters, ...plain } = request;
    const parsed = readSpecEnable(buildPush2Enable(plain));
    expect(parsed.matches[0]).toMatchObject({ profile: PUSH2_MATCH.important, filters: [] });
    expect(parsed.matches[0]!.grace).toBeUndefined();
    expect(readSpecEnable(buildPush2Enable({ ...plain, match: PUSH2_MATCH.archivedWithBody })).matches[0]!.profile).toBe("urn:xmpp:push2:match:archived-with-body");
    expect(readSpecEnable(buildPush2Enable({ ...plain, grace: 0 })).matches[0]!.grace).toBe(0);
  });

  it("escapes what it writes: an endpoint with & and a JID with ' stay intact", () => {
    const parsed = readSpecEnable(parseXml(buildPush2Enable({ ...request, client: "https://push.example.net/a?b=1&c=<2>", filters: [{ jid: "o'neil@example.test", reply: true }] }).toString()));
    expect(parsed.client).toBe("https://push.example.net/a?b=1&c=<2>");
    expect(parsed.matches[0]!.filters).toEqual([{ jid: "o'neil@example.test", mention: false, reply: true }]);
  });

  it.each([
    ["no service", { service: "" }],
    ["no client", { client: "" }],
    ["a compressed or short ua-public", { uaPublic: FIXTURE_BYTES.uaPublic.slice(0, 33) }],
    ["an auth secret that is not 16 octets", { authSecret: new Uint8Array(15) }],
    ["no jwt-key", { jwtKey: new Uint8Array(0) }],
    ["a negative grace", { grace: -1 }],
    ["a fractional grace", { grace: 1.5 }],
    ["a filter without a JID", { filters: [{ jid: "", mention: true }] }],
    ["a claim without a name", { claims: { "": "x" } }],
  ])("refuses %s with bad-request before anything is sent", (_, change) => {
    let error: unknown;
    try {
      buildPush2Enable({ ...request, ...change });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PushError);
    expect(error).toMatchObject({ condition: "bad-request" });
  });

  it("buildPush2Disable is the ProtoXEP's bare <disable xmlns='urn:xmpp:push2:0'/>, as Borogove sends it", () => {
    const disable = parseXml(buildPush2Disable().toString());
    expect(disable.attrs).toEqual({ xmlns: "urn:xmpp:push2:0" });
    expect(disable.children).toEqual([]);
    expect(parseXml(BOROGOVE_DISABLE).getChild("disable")!.toString()).toBe(disable.toString());
  });
});
