/**
 * Seed 003: "even when smacks acknowledgements for messages are delayed by a certain amount of
 * seconds configurable with the [mod_smacks] setting "smacks_max_ack_delay"" — each message
 * pushes at its own delay (`streamManagement.ackDelay`), never up to twice as late. Time is
 * vitest's fake clock (setTimeout and Date); the in-memory transport runs on setImmediate.
 */
import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { watchAcks, withholdAcks } from "../../helpers/acked.js";
import { afterRoundTrip, chat, waitFor } from "../../helpers/chain.js";
import { advance, settle, useFakeClock } from "../../helpers/fake-clock.js";
import { prosody, type ProsodySetup } from "./setup.js";

const ACK_DELAY = 1000;
let setup: ProsodySetup;
afterEach(async () => {
  vi.useRealTimers();
  await setup?.close();
});

describe("smacks_max_ack_delay (seed 003)", () => {
  it('PT5 003: "acknowledgements for messages are delayed by a certain amount of seconds": each message pushes at its own delay', async () => {
    setup = prosody({ mam: false, streamManagement: { ackDelay: ACK_DELAY } });
    const phone = await setup.subscribed("bob", "phone", "phone-token");
    await waitFor(() => phone.xmpp.streamManagement.enabled, 3000, "stream management");
    await phone.xmpp.send(xml("presence"));
    const alice = await setup.connect("alice", "laptop");
    // The acks of everything so far arrive before they stop: the server's ack timer, armed on the
    // real clock, is then off, and the fake clock times the messages alone. The round trip's answer
    // comes after everything the server sent the phone before it.
    const serverTookAck = watchAcks(setup.server, phone.xmpp);
    await afterRoundTrip(phone.xmpp);
    await serverTookAck();
    withholdAcks(phone.xmpp);
    useFakeClock();
    const pushed = () => setup.appServer.deliveries.length;

    await alice.send(chat("bob@example.test", "first"));
    await settle();
    await advance(ACK_DELAY / 2);
    await alice.send(chat("bob@example.test", "second"));
    await settle();

    await advance(ACK_DELAY / 2 - 1);
    expect(pushed()).toBe(0);
    await advance(1);
    expect(pushed()).toBe(1);
    // The second message was sent half a delay later: it pushes half a delay later, not a whole one.
    await advance(ACK_DELAY / 2 - 1);
    expect(pushed()).toBe(1);
    await advance(1);
    expect(pushed()).toBe(2);
    // Each pushes once, however long the acks stay away.
    await advance(ACK_DELAY * 3);
    expect(pushed()).toBe(2);
  });
});
