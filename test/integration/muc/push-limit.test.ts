/** The MUC service keeps the latest `pushLimit` pushes in `pushes`; `published` still fires for every push. */

import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { buildEnable } from "../../../src/protocol/index.js";
import type { MucPush } from "../../../src/sim/index.js";
import { APP_SERVER, goOffline } from "../../helpers/chain.js";
import { createMucChain, groupchat, type MucChain, openRoom, ROOM, waitForCount } from "./setup.js";

let chain: MucChain;
afterEach(async () => {
  await chain?.close();
});

/** bob, offline, enabled push at the room (M5); alice writes `count` messages. */
async function pushesFor(count: number, pushLimit: number): Promise<MucPush[]> {
  chain = createMucChain({ pushLimit });
  const { alice } = await openRoom(chain);
  const bob = await chain.device("bob");
  const registration = await bob.push.register({ appServer: APP_SERVER, provider: "fcm", token: "bob-fcm-token" });
  const enable = buildEnable({ jid: registration.jid, node: registration.node, publishOptions: registration.publishOptions });
  await bob.xmpp.iqCaller.request(xml("iq", { type: "set", to: ROOM }, enable));
  await goOffline(chain, bob.xmpp);
  const published: MucPush[] = [];
  chain.muc.on("published", (push) => published.push(push));
  for (let index = 1; index <= count; index++) await alice.send(groupchat(`message ${index}`));
  await waitForCount(published, count, `${count} pushes`);
  return published;
}

describe("A12: MUC pushes kept", () => {
  it("past pushLimit the oldest go; published fired for each", async () => {
    const published = await pushesFor(4, 2);
    expect(published).toHaveLength(4);
    expect(chain.muc.pushes).toEqual(published.slice(2));
  });

  it("under pushLimit every push is kept, in order", async () => {
    const published = await pushesFor(2, 2);
    expect(chain.muc.pushes).toEqual(published);
  });

  it("a limit that is not a positive integer is a RangeError", () => {
    expect(() => createMucChain({ pushLimit: 0 })).toThrow(RangeError);
  });
});
