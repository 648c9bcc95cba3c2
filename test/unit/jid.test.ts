import { describe, expect, it } from "vitest";
import { bareJid, domainOf, toJid } from "../../src/protocol/index.js";
import { expectPushError } from "../helpers/push-error.js";

describe("JID helpers", () => {
  it("bareJid drops the resource", () => {
    expect(bareJid("bob@example.com/phone")).toBe("bob@example.com");
    expect(bareJid("bob@example.com")).toBe("bob@example.com");
    expect(bareJid("push.example.net")).toBe("push.example.net");
  });

  it("bareJid keeps a resource's slashes out and lower-cases the domain", () => {
    expect(bareJid("bob@Example.COM/a/b")).toBe("bob@example.com");
  });

  it("domainOf returns the domainpart", () => {
    expect(domainOf("bob@example.com/phone")).toBe("example.com");
    expect(domainOf("push.example.net")).toBe("push.example.net");
    expect(domainOf("push.example.net/component")).toBe("push.example.net");
  });

  it("toJid parses local, domain and resource", () => {
    const jid = toJid("bob@example.com/phone");
    expect([jid.local, jid.domain, jid.resource]).toEqual(["bob", "example.com", "phone"]);
  });

  it("non-ASCII localparts and resources survive", () => {
    expect(bareJid("zoë@example.com/📱")).toBe("zoë@example.com");
    expect(toJid("zoë@example.com/📱").resource).toBe("📱");
  });

  it.each([[""], ["@"], ["bob@"], ["/phone"], ["bob@/phone"]])("malformed %j → PushError('jid-malformed')", (value) => {
    const error = expectPushError(() => bareJid(value), "jid-malformed");
    expect(error.cause).toBeInstanceOf(Error);
    expectPushError(() => domainOf(value), "jid-malformed");
    expectPushError(() => toJid(value), "jid-malformed");
  });
});
