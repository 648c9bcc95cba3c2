import { describe, expect, it } from "vitest";
import { RegistrationBook } from "../../../src/sim/app-server/registration-book.js";
import type { AppRegistration } from "../../../src/sim/app-server/types.js";

function registration(owner: string, node: string, deviceId = "phone", token = "t"): AppRegistration {
  return { owner, provider: "fcm", deviceId, token, node, secret: "s", fields: { token: [token] }, createdAt: 0, dialect: "mod-push" };
}

describe("RegistrationBook: by node and by owner", () => {
  it("finds an owner's device and lists an owner's registrations, in the order they came", () => {
    const book = new RegistrationBook();
    book.put(registration("bob@example.test", "n1", "phone"));
    book.put(registration("alice@example.test", "n2", "phone"));
    book.put(registration("bob@example.test", "n3", "tablet"));
    expect(book.findDevice("bob@example.test", "fcm", "tablet")?.node).toBe("n3");
    expect(book.findDevice("bob@example.test", "apns", "tablet")).toBeUndefined();
    expect(book.findDevice("carol@example.test", "fcm", "phone")).toBeUndefined();
    expect(book.list("bob@example.test").map((entry) => entry.node)).toEqual(["n1", "n3"]);
    expect(book.list().map((entry) => entry.node)).toEqual(["n1", "n2", "n3"]);
  });

  it("a re-registration replaces in place; a delete leaves no trace in either index", () => {
    const book = new RegistrationBook();
    book.put(registration("bob@example.test", "n1", "phone", "old"));
    book.put(registration("bob@example.test", "n2", "tablet"));
    book.put(registration("bob@example.test", "n1", "phone", "new"));
    expect(book.list("bob@example.test").map((entry) => [entry.node, entry.token])).toEqual([
      ["n1", "new"],
      ["n2", "t"],
    ]);
    expect(book.delete("n1")?.token).toBe("new");
    expect(book.findDevice("bob@example.test", "fcm", "phone")).toBeUndefined();
    expect(book.delete("n2")).toBeDefined();
    expect(book.list("bob@example.test")).toEqual([]);
    expect(book.delete("n2")).toBeUndefined();
  });

  it("a node put again under another owner moves to that owner", () => {
    const book = new RegistrationBook();
    book.put(registration("bob@example.test", "n1"));
    book.put(registration("alice@example.test", "n1"));
    expect(book.list("bob@example.test")).toEqual([]);
    expect(book.list("alice@example.test").map((entry) => entry.node)).toEqual(["n1"]);
  });

  it("hands out copies: changing one changes nothing stored", () => {
    const book = new RegistrationBook();
    book.put(registration("bob@example.test", "n1"));
    const copy = book.findDevice("bob@example.test", "fcm", "phone")!;
    copy.token = "changed";
    copy.fields.token!.push("x");
    expect(book.get("n1")).toMatchObject({ token: "t", fields: { token: ["t"] } });
  });

  it("finds a device by owner, provider and device id: after the node that held it goes, another registration of that device takes its place", () => {
    const book = new RegistrationBook();
    book.put(registration("bob@example.test", "n1", "phone"));
    book.put({ ...registration("bob@example.test", "n2", "phone"), dialect: "p2" });
    expect(book.findDevice("bob@example.test", "fcm", "phone")?.node).toBe("n1");
    book.delete("n1");
    expect(book.findDevice("bob@example.test", "fcm", "phone")?.node).toBe("n2");
    // Put again with another device id, a node is found under that one only.
    book.put(registration("bob@example.test", "n2", "tablet"));
    expect(book.findDevice("bob@example.test", "fcm", "phone")).toBeUndefined();
    expect(book.findDevice("bob@example.test", "fcm", "tablet")?.node).toBe("n2");
    book.put(registration("alice@example.test", "n2", "tablet"));
    expect(book.findDevice("bob@example.test", "fcm", "tablet")).toBeUndefined();
    expect(book.findDevice("alice@example.test", "fcm", "tablet")?.node).toBe("n2");
    expect(book.list().map((entry) => entry.node)).toEqual(["n2"]);
  });

  it("stores the same text it was given, shared between the token and the form field that carried it", () => {
    const book = new RegistrationBook();
    const token = `token-${"x".repeat(40)}`;
    book.put({ ...registration("bob@example.test", "n1", "phone", token), fields: { token: [token], "device-id": ["phone"], other: ["value"] } });
    expect(book.get("n1")).toMatchObject({ token, deviceId: "phone", fields: { token: [token], "device-id": ["phone"], other: ["value"] } });
  });
});
