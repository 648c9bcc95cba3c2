/**
 * S19: an account keeps at most `push.maxRegistrations` XEP-0357 registrations; an enable past
 * it removes the least recently enabled one (raising `disabled`), as Prosody's `push_max_devices`
 * and ejabberd's `max_user_sessions` do, and is answered with a plain result.
 */

import { describe, expect, it } from "vitest";
import { APP_SERVER, type Chain, record } from "../../helpers/chain.js";
import { useChainSessions } from "../../helpers/client-sessions.js";
import { enable } from "../../helpers/push-iq.js";

let chain: Chain;
const { startChain } = useChainSessions();

const nodesOf = (account: string): string[] => chain.server.registrations(account).map((registration) => registration.node);

describe("push registrations per account (S19)", () => {
  it("past maxRegistrations the least recently enabled goes, the enable succeeds and the newest are kept", async () => {
    chain = startChain({ push: { maxRegistrations: 3 } });
    const bob = await chain.connect("bob");
    const disabled = record(chain.server, "disabled");
    for (const node of ["n1", "n2", "n3"]) await bob.iqCaller.request(enable(APP_SERVER, node));
    // Re-enabling n1 makes it the newest: n2 is now the least recently enabled.
    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    for (const node of ["n4", "n5"]) {
      const result = await bob.iqCaller.request(enable(APP_SERVER, node));
      expect(result.attrs.type).toBe("result");
    }
    expect(nodesOf("bob")).toEqual(["n1", "n4", "n5"]);
    expect(disabled.map(([registration]) => registration.node)).toEqual(["n2", "n3"]);
  });

  it("under the limit nothing is removed, and other accounts are not touched", async () => {
    chain = startChain({ push: { maxRegistrations: 3 } });
    const bob = await chain.connect("bob");
    const alice = await chain.connect("alice");
    const disabled = record(chain.server, "disabled");
    for (const node of ["a1", "a2", "a3"]) await alice.iqCaller.request(enable(APP_SERVER, node));
    for (const node of ["n1", "n2", "n3"]) await bob.iqCaller.request(enable(APP_SERVER, node));
    await bob.iqCaller.request(enable(APP_SERVER, "n3"));
    expect(nodesOf("bob")).toEqual(["n1", "n2", "n3"]);
    expect(nodesOf("alice")).toEqual(["a1", "a2", "a3"]);
    expect(disabled).toEqual([]);
  });

  it("default to 10 (the prosody preset to 5, its push_max_devices)", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    for (let index = 1; index <= 12; index++) await bob.iqCaller.request(enable(APP_SERVER, `n${index}`));
    expect(nodesOf("bob")).toEqual(["n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11", "n12"]);
  });

  it("the prosody preset keeps 5", async () => {
    chain = startChain({ preset: "prosody" });
    const bob = await chain.connect("bob");
    for (let index = 1; index <= 7; index++) await bob.iqCaller.request(enable(APP_SERVER, `n${index}`));
    expect(nodesOf("bob")).toEqual(["n3", "n4", "n5", "n6", "n7"]);
  });

  it("a limit that is not a positive integer is a RangeError", () => {
    expect(() => startChain({ push: { maxRegistrations: 0 } })).toThrow(RangeError);
  });
});
