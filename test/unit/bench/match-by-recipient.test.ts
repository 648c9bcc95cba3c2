import { describe, expect, it } from "vitest";
import { xml } from "@xmpp/client";
import { matchByRecipient } from "../../../bench/match-by-recipient.js";

describe("bench matchByRecipient: a delivery without a body stands for its owner's oldest undelivered message", () => {
  it("matches in send order per recipient, answers what it matched, and forwards every send", async () => {
    const forwarded: string[] = [];
    let owner: ((jid: string) => string | undefined) | undefined;
    const { sender, deliveries } = matchByRecipient(
      { send: (stanza) => Promise.resolve(void forwarded.push(String(stanza.attrs.to))) },
      (listener) => {
        owner = listener;
        return () => (owner = undefined);
      },
    );
    const bodies: (string | undefined)[] = [];
    const stop = deliveries((body) => bodies.push(body));
    for (const [to, body] of [["a@x", "0"], ["b@x", "1"], ["a@x", "2"]] as const) await sender.send(xml("message", { to }, xml("body", {}, body)));

    expect([owner!("a@x"), owner!("a@x"), owner!("b@x"), owner!("a@x")]).toEqual(["0", "2", "1", undefined]);
    expect(bodies).toEqual(["0", "2", "1", undefined]);
    expect(forwarded).toEqual(["a@x", "b@x", "a@x"]);
    stop();
    expect(owner).toBeUndefined();
  });
});
