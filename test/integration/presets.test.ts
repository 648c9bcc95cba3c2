import { readFileSync } from "node:fs";
import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Preset } from "../../src/sim/index.js";
import { ejabberdPublish, prosodyPublish } from "../fixtures/recorded-publishes.js";
import { APP_SERVER, bobSubscribesAndGoesOffline, type Chain, chat, createChain, goOffline, nextEvent, record, waitFor } from "../helpers/chain.js";
import { parseXml } from "../helpers/parse-xml.js";
import { publishShape } from "../helpers/publish-shape.js";
import { disable } from "../helpers/push-iq.js";

let chain: Chain;
afterEach(async () => {
  await chain?.close();
});

async function bobOffline(preset: Preset, failToken = false) {
  chain = createChain({ preset });
  const offline = await bobSubscribesAndGoesOffline(chain, { provider: "fcm", token: "t" });
  if (failToken) chain.appServer.failToken("t");
  return offline;
}

async function publishFor(preset: Preset, message = chat("bob@example.test", "Hi")) {
  const { alice } = await bobOffline(preset);
  const published = nextEvent(chain.server, "published");
  await alice.send(message);
  const [, publish] = await published;
  return publishShape(publish);
}

const recorded = { to: APP_SERVER, from: "example.test", id: "x", node: "n", secret: "s" };

describe("fidelity presets: the reference server publishes what the real servers sent (S7, S8)", () => {
  it("prosody: from the domain, form type 'form', all four fields, message-count 1, 'New Message!'", async () => {
    expect(await publishFor("prosody")).toEqual(publishShape(parseXml(prosodyPublish(recorded))));
  });

  it("ejabberd: from the domain, form type 'submit', no message-count, 'New message'", async () => {
    const shape = await publishFor("ejabberd");
    const fixture = publishShape(parseXml(ejabberdPublish(recorded)));
    // ejabberd labels and types its body field; the reference server leaves both off.
    expect({ ...shape, fields: shape.fields.map(({ var: name, values }) => ({ var: name, values })) }).toEqual({
      ...fixture,
      fields: fixture.fields.map(({ var: name, values }) => ({ var: name, values })),
    });
  });

  it("prosody: a body-less chat state pushes too, without a body value; ejabberd and the default do not", async () => {
    const chatState = chat("bob@example.test", undefined, [xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" })]);
    const shape = await publishFor("prosody", chatState);
    expect(shape.fields).toContainEqual({ var: "last-message-body", type: "text-single", values: [] });
    await chain.close();

    for (const preset of ["ejabberd", "reference"] as const) {
      const { alice } = await bobOffline(preset);
      const published = record(chain.server, "published");
      await alice.send(chatState);
      await alice.send(chat("bob@example.test", "after"));
      await waitFor(() => published.length >= 1);
      expect(published).toHaveLength(1);
      await chain.close();
    }
  });

  it("mongooseim: from the domain, the real body and the chat sender's bare JID (mod_event_pusher_push_plugin_defaults sender_id)", async () => {
    const shape = await publishFor("mongooseim", chat("bob@example.test", "the real text"));
    expect(shape.from).toBe("domain");
    expect(shape.fields).toEqual([
      { var: "message-count", values: ["1"] },
      { var: "last-message-sender", values: ["alice@example.test"] },
      { var: "last-message-body", values: ["the real text"] },
    ]);
  });

  it("explicit push options override the preset", async () => {
    chain = createChain({ preset: "prosody", push: { includeBody: true } });
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t" });
    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice");
    const published = nextEvent(chain.server, "published");
    await alice.send(chat("bob@example.test", "real body"));
    const [, publish] = await published;
    expect(publishShape(publish).fields.find((field) => field.var === "last-message-body")?.values).toEqual(["real body"]);
  });
});

describe("fidelity presets: when a publish error removes the registration (S10)", () => {
  async function errorsUntilRemoved(preset: Preset, limit: number): Promise<boolean[]> {
    const { alice } = await bobOffline(preset, true);
    const removals: boolean[] = [];
    for (let index = 0; index < limit; index++) {
      const failed = nextEvent(chain.server, "publish-error");
      await alice.send(chat("bob@example.test", `m${index}`));
      const [, , removed] = await failed;
      removals.push(removed);
      if (removed) break;
    }
    return removals;
  }

  it("ejabberd: at the first non-wait error", async () => {
    expect(await errorsUntilRemoved("ejabberd", 3)).toEqual([true]);
  });

  it("prosody: after 16 in a row (push_max_errors)", async () => {
    const removals = await errorsUntilRemoved("prosody", 20);
    expect(removals).toHaveLength(16);
    expect(removals.slice(0, 15).every((removed) => !removed)).toBe(true);
    expect(removals[15]).toBe(true);
  });

  it("mongooseim: only cancel errors count; auth errors (a wrong secret) do not remove it", async () => {
    chain = createChain({ preset: "mongooseim" });
    const bob = await chain.device("bob");
    const registration = await bob.push.register({ appServer: APP_SERVER, provider: "fcm", token: "t" });
    await bob.push.enable({ jid: registration.jid, node: registration.node, publishOptions: { secret: "wrong" } });
    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice");
    const failed = nextEvent(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "x"));
    const [, error, removed] = await failed;
    expect([error.condition, error.type, removed]).toEqual(["not-authorized", "auth", false]);
    expect(chain.server.registrations("bob")).toHaveLength(1);
  });

  it("ejabberd answers a disable that matched nothing with item-not-found; the SDK takes it as done", async () => {
    chain = createChain({ preset: "ejabberd" });
    const bob = await chain.device("bob");
    const raw = bob.xmpp.iqCaller.request(disable(APP_SERVER, "none"));
    await expect(raw).rejects.toMatchObject({ condition: "item-not-found" });
    await expect(bob.push.disable({ jid: APP_SERVER, node: "none" })).resolves.toBeUndefined();
  });
});

describe("fidelity presets against the publishes recorded by the interop suite (test/interop/fixtures)", () => {
  const fixture = (name: string) =>
    publishShape(parseXml(readFileSync(new URL(`../interop/fixtures/${name}`, import.meta.url), "utf8").replace(/<!--[\s\S]*?-->/g, "").trim()));
  const varsAndValues = (shape: ReturnType<typeof publishShape>) => ({
    ...shape,
    fields: shape.fields.map(({ var: name, values }) => ({ var: name, values })),
  });

  async function publishesFor(preset: Preset, messages: ReturnType<typeof chat>[]) {
    const { alice } = await bobOffline(preset);
    const published = record(chain.server, "published");
    for (const message of messages) await alice.send(message);
    await waitFor(() => published.length === messages.length, 3000, "the publishes");
    return published.map(([, publish]) => publishShape(publish));
  }

  const composing = chat("bob@example.test", undefined, [xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" })]);

  it("prosody: first message, second message and a chat state, field by field with types", async () => {
    const [first, second] = await publishesFor("prosody", [chat("bob@example.test", "one"), chat("bob@example.test", "two")]);
    expect(first).toEqual(fixture("prosody-publish.xml"));
    expect(second).toEqual(fixture("prosody-second-publish.xml"));
    await chain.close();
    const [chatState] = await publishesFor("prosody", [composing]);
    expect(chatState).toEqual(fixture("prosody-chat-state-publish.xml"));
  });

  it("PT2 prosody with MAM: the push for a message archived while another resource is online equals the recorded one (003: \"messages stored by [mod_mam]\")", async () => {
    // The interop suite's MAM scenario checks that real Prosody's archive push has the shape of its offline one.
    chain = createChain({ preset: "prosody", server: { mam: true } });
    const { registration } = await bobSubscribesAndGoesOffline(chain, { provider: "fcm", token: "t" });
    const desktop = await chain.connect("bob", "desktop");
    await desktop.send(xml("presence"));
    await desktop.iqCaller.request(xml("iq", { type: "get" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    const alice = await chain.connect("alice", "laptop");
    const published = record(chain.server, "published");
    await alice.send(chat("bob@example.test", "archived"));
    await waitFor(() => published.length === 1, 3000, "the archive push");
    expect(chain.server.offlineMessages("bob")).toEqual([]);
    expect(published.map(([, publish]) => publish.getChild("pubsub")?.getChild("publish")?.attrs.node)).toEqual([registration.node]);
    expect(publishShape(published[0]![1])).toEqual(fixture("prosody-publish.xml"));
  });

  it("ejabberd: first and second message, field names and values", async () => {
    const [first, second] = await publishesFor("ejabberd", [chat("bob@example.test", "one"), chat("bob@example.test", "two")]);
    expect(varsAndValues(first!)).toEqual(varsAndValues(fixture("ejabberd-publish.xml")));
    expect(varsAndValues(second!)).toEqual(varsAndValues(fixture("ejabberd-second-publish.xml")));
  });
});
