/**
 * PT2, seed 003 (Prosody's mod_cloud_notify README): "App servers are notified about offline
 * messages, messages stored by [mod_mam] or messages waiting in the smacks queue." Against real
 * Prosody (mod_mam), ejabberd (mod_mam, archiving switched on for bob) and the reference server
 * as Prosody with MAM (`preset: "prosody", mam: true`).
 */
import { readFileSync } from "node:fs";
import { type Client, xml } from "@xmpp/client";
import { beforeEach, expect, it } from "vitest";
import { PushClient } from "../../src/index.js";
import { attr, type Element, NS, randomHex } from "../../src/protocol/index.js";
import { parseXml } from "../helpers/parse-xml.js";
import { type PublishShape, publishShape } from "../helpers/publish-shape.js";
import { SCENARIOS, type TargetName } from "./shared.js";
import { chat, deliveredTo, enabledDevice, goOffline, jidOf, prepare } from "./support/flows.js";
import { lastArchived, NS_SID, setArchivingDefault } from "./support/mam.js";
import { note, writePublishFixture } from "./support/observe.js";
import { publishDifferences } from "./support/publish-shape.js";
import { forEachTarget } from "./support/suite.js";
import type { Target } from "./support/target.js";
import { waitFor, withTimeout } from "./support/wait.js";

const BOB = jidOf("bob");
const ALICE = jidOf("alice");

/** The publish for one offline message each server sent, as recorded by this suite (test/interop/fixtures). */
const OFFLINE_PUBLISH: Record<TargetName, string> = { reference: "prosody-publish.xml", prosody: "prosody-publish.xml", ejabberd: "ejabberd-publish.xml" };

function recordedShape(file: string): PublishShape {
  const text = readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8");
  return publishShape(parseXml(text.replace(/<!--[\s\S]*?-->/g, "").trim()));
}

/** ejabberd labels and types its body field as recorded; compare names and values only there. */
function comparable(name: TargetName, shape: PublishShape): PublishShape {
  return name === "ejabberd" ? { ...shape, fields: shape.fields.map(({ var: field, values }) => ({ var: field, values })) } : shape;
}

/** Available presence, then a round trip: a server handles a session's stanzas in order, so the presence is in effect. */
async function available(xmpp: Client): Promise<void> {
  await xmpp.send(xml("presence"));
  await withTimeout(xmpp.iqCaller.request(xml("iq", { type: "get" }, xml("ping", { xmlns: NS.ping }))), 10_000, "ping after presence");
}

forEachTarget(
  (name, targetOf) => {
    let target: Target;
    beforeEach(() => {
      target = targetOf();
    });

    it(SCENARIOS.mamArchived, async () => {
      const { alice, sentinel } = await prepare(target);
      const phone = await enabledDevice(target, "bob", "phone");
      await goOffline(phone);
      const desktop = await target.connect("bob", "desktop");
      // The count correction (C17): a stock @xmpp/client 0.14 does not count the ping's reply in
      // `h`, so Prosody ends the desktop's session on its next <a/> and the message, unacked,
      // goes offline — and pushes a second time.
      new PushClient(desktop, { timeout: 10_000, reenable: false });
      // ejabberd's mod_mam archives nothing by default; bob asks for everything while this runs.
      if (name === "ejabberd") await setArchivingDefault(desktop, "always");
      try {
        await available(desktop);
        const received: Element[] = [];
        desktop.on("stanza", (stanza: Element) => {
          if (stanza.is("message") && stanza.getChildText("body")) received.push(stanza);
        });

        const body = `Lunch? ${randomHex(4)}`;
        await alice.send(chat(BOB, body));
        await deliveredTo(target, phone.registration.node, 1);
        await waitFor(() => received.length > 0, "the desktop's copy", 10_000);
        await sentinel.pass(alice);

        // One push, to the registration no online session enabled; the desktop has the message.
        const publishes = target.tap.publishesTo(phone.registration.node);
        expect(publishes).toHaveLength(1);
        expect(received.map((message) => message.getChildText("body"))).toEqual([body]);
        const publish = publishes[0]!;
        expect(comparable(name, publishShape(publish))).toEqual(comparable(name, recordedShape(OFFLINE_PUBLISH[name])));
        // The reference runs as Prosody here: its departures from XEP-0357 are the preset's, not news.
        if (name !== "reference") for (const difference of publishDifferences(publish, BOB, body)) note(name, SCENARIOS.mamArchived, "differs", difference);

        // The archive has it under the id the desktop's copy carries (XEP-0359 stanza-id by the account).
        const stanzaId = received[0]!.getChild("stanza-id", NS_SID);
        expect(stanzaId && attr(stanzaId, "by")).toBe(BOB);
        const id = stanzaId ? attr(stanzaId, "id") : undefined;
        expect(id).toBeTruthy();
        const archived = await lastArchived(desktop, ALICE);
        expect(archived).toContainEqual({ id, body });
        if (name === "reference") note(name, SCENARIOS.mamArchived, "seen", "run as `preset: \"prosody\", mam: true`: the publish equals the recorded Prosody publish field by field");
        note(name, SCENARIOS.mamArchived, "seen", `one push to the phone's registration; the desktop's copy has stanza-id ${id === undefined ? "none" : "by the account"}, found by a MAM query`);
        if (name !== "reference") writePublishFixture(`${name}-mam-publish.xml`, publish, `${name}: publish for a chat message archived by mod_mam while another resource was online`);
      } finally {
        if (name === "ejabberd") await setArchivingDefault(desktop, "never");
      }
    });
  },
  { preset: "prosody", mam: true },
);
