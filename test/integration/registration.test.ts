import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { type Element, MemoryStore, PushClient, PushError } from "../../src/index.js";
import {
  buildCommandResponse,
  buildDiscoInfo,
  buildDiscoItems,
  NS,
  parseCommandRequest,
  PushError as ProtocolPushError,
} from "../../src/protocol/index.js";
import { APP_SERVER, type Chain, createChain, goOffline, record, waitFor } from "../helpers/chain.js";
import { cutSocket } from "../helpers/client-socket.js";
import { rejection } from "../helpers/push-error.js";
import { disable } from "../helpers/push-iq.js";
import { scriptedComponent } from "../helpers/scripted-component.js";

let chain: Chain;
afterEach(async () => {
  await chain?.close();
});

/** An app server that advertises mod-push commands and answers with `complete` as scripted. */
function modPushLike(jid: string, onCommand: (command: ReturnType<typeof parseCommandRequest>) => Element | "silent") {
  return scriptedComponent(jid, (iq) => {
    const payload = iq.getChildElements()[0]!;
    if (payload.is("query", NS.discoInfo)) return buildDiscoInfo({ identities: [{ category: "pubsub", type: "push" }], features: [NS.push, NS.commands], forms: [] });
    if (payload.is("query", NS.discoItems)) {
      return buildDiscoItems({ node: NS.commands, items: ["register-push-fcm", "list-push-registrations", "unregister-push"].map((node) => ({ jid, node })) });
    }
    return onCommand(parseCommandRequest(payload));
  });
}

describe("discovery (C1, C7)", () => {
  it("isSupported() is true when the account's bare JID advertises urn:xmpp:push:0", async () => {
    chain = createChain();
    const { push } = await chain.device("bob");
    expect(await push.isSupported()).toBe(true);
  });

  it("isSupported() is false when the disco#info lacks the feature", async () => {
    const push = new PushClient({
      jid: { toString: () => "bob@old.example/phone" },
      iqCaller: { request: async () => xml("iq", { type: "result" }, buildDiscoInfo({ identities: [], features: [NS.discoInfo], forms: [] })) },
      on: () => undefined,
    });
    expect(await push.isSupported()).toBe(false);
  });

  it("discover() lists identities, features, commands, the dialect and its providers", async () => {
    chain = createChain();
    const { push } = await chain.device("bob");
    const info = await push.discover(APP_SERVER);
    expect(info.identities).toContainEqual(expect.objectContaining({ category: "pubsub", type: "push" }));
    expect(info.features).toEqual(expect.arrayContaining([NS.push, NS.commands]));
    expect(info.commands.map((command) => command.node)).toEqual(expect.arrayContaining(["register-push-fcm", "list-push-registrations", "unregister-push"]));
    expect(info.dialect).toBe("mod-push");
    expect(info.providers.sort()).toEqual(["apns", "fcm", "gcm", "mozilla", "ubuntu", "webpush", "wns"]);
  });

  it("discover() returns the VAPID public key the app server advertises in an XEP-0128 form", async () => {
    chain = createChain({ appServer: { vapidPublicKey: "BPublicKeyBase64Url" } });
    const { push } = await chain.device("bob");
    const info = await push.discover(APP_SERVER);
    expect(info.vapidPublicKey).toBe("BPublicKeyBase64Url");
    expect(info.forms.map((form) => form.formType)).toEqual(["tag:xmpp-push,2026:webpush"]);
  });

  it("discover() has no VAPID key when the app server advertises none", async () => {
    chain = createChain();
    const { push } = await chain.device("bob");
    expect((await push.discover(APP_SERVER)).vapidPublicKey).toBeUndefined();
  });

  it("register() at an app server with no known commands rejects with not-supported", async () => {
    chain = createChain();
    chain.server.attach(scriptedComponent("odd.example.test", (iq) => (iq.getChildElements()[0]?.is("query", NS.discoInfo) ? buildDiscoInfo({ identities: [], features: [], forms: [] }) : buildDiscoItems({ items: [] }))));
    const { push } = await chain.device("bob");
    const error = await rejection(push.register({ appServer: "odd.example.test", provider: "fcm", token: "t" }));
    expect(error.condition).toBe("not-supported");
  });
});

describe("registering at the app server (C8–C11, C14)", () => {
  it("register() returns the app server's jid, an unguessable node and a secret", async () => {
    chain = createChain();
    const { push } = await chain.device("bob");
    const registration = await push.register({ appServer: APP_SERVER, provider: "fcm", token: "tok-1", deviceName: "Bob's phone" });
    expect(registration).toMatchObject({ appServer: APP_SERVER, jid: APP_SERVER, provider: "fcm", dialect: "mod-push", token: "tok-1", account: "bob@example.test" });
    expect(registration.node).toMatch(/^[0-9a-f]{32}$/);
    expect(registration.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(registration.publishOptions).toEqual({ secret: registration.secret });
    expect(registration.deviceId).toMatch(/^[0-9a-f]{32}$/); // C14: 128 random bits when none is given
    expect(chain.appServer.registrations("bob@example.test")).toEqual([expect.objectContaining({ node: registration.node, token: "tok-1", deviceName: "Bob's phone" })]);
  });

  it("completes a multi-stage command with the same sessionid (C9)", async () => {
    chain = createChain();
    const seen: ReturnType<typeof parseCommandRequest>[] = [];
    chain.server.attach(
      modPushLike("stages.example.test", (command) => {
        seen.push(command);
        if (command.action === "execute") {
          return buildCommandResponse({
            node: command.node,
            sessionid: "s-1",
            status: "executing",
            actions: { allowed: ["next"], default: "next" },
            form: { type: "form", fields: [{ var: "token", type: "text-single", values: [] }, { var: "flow", type: "hidden", values: ["abc"] }] },
            notes: [],
          });
        }
        if (command.sessionid !== "s-1") throw new ProtocolPushError("bad-request");
        return buildCommandResponse({
          node: command.node,
          sessionid: "s-1",
          status: "completed",
          form: { type: "result", fields: [{ var: "jid", values: ["stages.example.test"] }, { var: "node", values: ["n-77"] }, { var: "secret", values: ["s3"] }] },
          notes: [],
        });
      }),
    );
    const { push } = await chain.device("bob");
    const registration = await push.register({ appServer: "stages.example.test", provider: "fcm", token: "tok" });
    expect(registration).toMatchObject({ jid: "stages.example.test", node: "n-77", secret: "s3" });
    expect(seen.map((command) => [command.action, command.sessionid])).toEqual([
      ["execute", undefined],
      ["next", "s-1"],
    ]);
    const answered = Object.fromEntries(seen[1]!.form!.fields.map((field) => [field.var, field.values]));
    expect(answered).toEqual({ token: ["tok"], flow: ["abc"] });
  });

  it("a result form without node is a bad-response and nothing is stored (C10)", async () => {
    chain = createChain();
    chain.server.attach(
      modPushLike("broken.example.test", (command) =>
        buildCommandResponse({ node: command.node, status: "completed", form: { type: "result", fields: [{ var: "jid", values: ["broken.example.test"] }] }, notes: [] }),
      ),
    );
    const store = new MemoryStore();
    const { push } = await chain.device("bob", "phone", { store });
    const error = await rejection(push.subscribe({ appServer: "broken.example.test", provider: "fcm", token: "t" }));
    expect(error.condition).toBe("bad-response");
    expect(await store.list()).toEqual([]);
    expect(chain.server.registrations("bob")).toEqual([]);
  });

  it("an XMPP error from the app server rejects with its condition (C5)", async () => {
    chain = createChain();
    const { push } = await chain.device("bob");
    const error = await rejection(push.register({ appServer: APP_SERVER, provider: "nokia", token: "t", dialect: "mod-push" }));
    expect(error.condition).toBe("item-not-found");
    expect(error.type).toBe("cancel");
  });

  it("an app server that never answers rejects with timeout (C6) and stores nothing", async () => {
    chain = createChain();
    chain.server.attach(modPushLike("silent.example.test", () => "silent"));
    const store = new MemoryStore();
    const { push } = await chain.device("bob", "phone", { store, timeout: 150 });
    const started = Date.now();
    const error = await rejection(push.subscribe({ appServer: "silent.example.test", provider: "fcm", token: "t" }));
    expect(error.condition).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await store.list()).toEqual([]);
  });

  it("a connection that drops while a request waits rejects it at once with `disconnected`, not at the timeout", async () => {
    chain = createChain();
    chain.server.attach(modPushLike("silent.example.test", () => "silent"));
    const { xmpp, push } = await chain.device("bob", "phone", { timeout: 10_000 });
    xmpp.reconnect.stop();
    const started = Date.now();
    const pending = rejection(push.register({ appServer: "silent.example.test", provider: "fcm", token: "t", dialect: "mod-push" }));
    setTimeout(() => cutSocket(xmpp), 50);
    const error = await pending;
    expect(error.condition).toBe("disconnected");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("field values with XML specials and non-ASCII survive the round trip (C11)", async () => {
    chain = createChain();
    const { push } = await chain.device("bob");
    const name = `Bob's <"phone"> & tablet — Ünïcødé 📱`;
    await push.register({ appServer: APP_SERVER, provider: "fcm", token: "t&<>'\"", deviceId: "dev<1>&", deviceName: name });
    expect(chain.appServer.registrations("bob@example.test")[0]).toMatchObject({ token: "t&<>'\"", deviceId: "dev<1>&", deviceName: name });
    expect(await push.listRegistrations(APP_SERVER)).toEqual([expect.objectContaining({ deviceId: "dev<1>&", deviceName: name })]);
  });

  it("rejects with `disconnected` before the connection is online", async () => {
    chain = createChain();
    const xmpp = chain.server.client({ username: "bob", password: "pw" });
    const push = new PushClient(xmpp);
    const error = await rejection(push.register({ appServer: APP_SERVER, provider: "fcm", token: "t" }));
    expect(error.condition).toBe("disconnected");
  });
});

describe("list and unregister (A5)", () => {
  it("lists exactly the caller's registrations", async () => {
    chain = createChain();
    const bob = await chain.device("bob");
    const carol = await chain.device("carol");
    const first = await bob.push.register({ appServer: APP_SERVER, provider: "fcm", token: "b1", deviceId: "phone", deviceName: "Phone" });
    const second = await bob.push.register({ appServer: APP_SERVER, provider: "apns", token: "b2", deviceId: "pad", deviceName: "Pad" });
    await carol.push.register({ appServer: APP_SERVER, provider: "fcm", token: "c1", deviceId: "phone" });
    const listed = await bob.push.listRegistrations(APP_SERVER);
    expect(listed.map((item) => item.node).sort()).toEqual([first.node, second.node].sort());
    expect(listed).toContainEqual({ node: first.node, deviceId: "phone", deviceName: "Phone", provider: "fcm" });
  });

  it("unregisters by device id and by nodes, only the caller's", async () => {
    chain = createChain();
    const bob = await chain.device("bob");
    const carol = await chain.device("carol");
    const phone = await bob.push.register({ appServer: APP_SERVER, provider: "fcm", token: "b1", deviceId: "phone" });
    const pad = await bob.push.register({ appServer: APP_SERVER, provider: "apns", token: "b2", deviceId: "pad" });
    const carols = await carol.push.register({ appServer: APP_SERVER, provider: "fcm", token: "c1", deviceId: "phone" });

    expect(await bob.push.unregister(APP_SERVER, { deviceId: "phone" })).toEqual([phone.node]);
    expect(await bob.push.unregister(APP_SERVER, { nodes: [pad.node, carols.node] })).toEqual([pad.node]);
    expect(chain.appServer.registrations("bob@example.test")).toEqual([]);
    expect(chain.appServer.registrations("carol@example.test").map((registration) => registration.node)).toEqual([carols.node]);
  });
});

describe("subscribe / unsubscribe (C12, C13, C15, C16)", () => {
  it("subscribe() twice leaves one registration everywhere (C12)", async () => {
    chain = createChain();
    const store = new MemoryStore();
    const { push } = await chain.device("bob", "phone", { store });
    const first = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "tok" });
    const second = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "tok" });
    expect(second.node).toBe(first.node);
    expect(second.deviceId).toBe(first.deviceId);
    expect(chain.appServer.registrations()).toHaveLength(1);
    expect(chain.server.registrations("bob")).toHaveLength(1);
    expect(await store.list()).toHaveLength(1);
  });

  it("concurrent subscribe() calls on one client end with one registration", async () => {
    chain = createChain();
    const { push } = await chain.device("bob");
    const results = await Promise.all([1, 2, 3].map(() => push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "tok" })));
    expect(new Set(results.map((registration) => registration.node)).size).toBe(1);
    expect(chain.appServer.registrations()).toHaveLength(1);
    expect(await push.registrations()).toHaveLength(1);
  });

  it("a new token for the same device replaces the registration (C13)", async () => {
    chain = createChain();
    const { push } = await chain.device("bob");
    const first = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "old-token" });
    const second = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "new-token" });
    expect(second.token).toBe("new-token");
    expect(chain.appServer.registrations()).toEqual([expect.objectContaining({ token: "new-token", node: first.node })]);
    expect(chain.server.registrations("bob")).toHaveLength(1);
    expect((await push.registrations()).map((registration) => registration.token)).toEqual(["new-token"]);
  });

  it("a replaced registration on a new node is disabled and unregistered, not left behind (C13)", async () => {
    chain = createChain();
    const { push } = await chain.device("bob");
    const first = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "old-token" });
    // The app server lost the device (say it was reset): the next registration gets a new node.
    await push.unregister(APP_SERVER, { nodes: [first.node] });
    const second = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "new-token" });
    expect(second.node).not.toBe(first.node);
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual([second.node]);
    expect(chain.appServer.registrations().map((registration) => registration.node)).toEqual([second.node]);
    expect((await push.registrations()).map((registration) => registration.node)).toEqual([second.node]);
  });

  it("re-enables stored registrations after a reconnect when the server lost them (C15)", async () => {
    chain = createChain();
    const { xmpp, push } = await chain.device("bob");
    const registration = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "tok" });
    // Another client of the account disables it behind the SDK's back, as a server restart would lose it.
    await xmpp.iqCaller.request(disable(registration.jid));
    expect(chain.server.registrations("bob")).toEqual([]);

    await goOffline(chain, xmpp);
    await xmpp.start();
    await waitFor(() => chain.server.registrations("bob").length === 1, 3000, "re-enable");
    expect(chain.server.registrations("bob")[0]).toMatchObject({ node: registration.node, publishOptions: { secret: registration.secret } });
  });

  it("unsubscribe() disables, unregisters and forgets", async () => {
    chain = createChain();
    const store = new MemoryStore();
    const { push } = await chain.device("bob", "phone", { store });
    const registration = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "tok" });
    const report = await push.unsubscribe();
    expect(report.errors).toEqual([]);
    expect(report.removed.map((removed) => removed.node)).toEqual([registration.node]);
    expect(chain.server.registrations("bob")).toEqual([]);
    expect(chain.appServer.registrations()).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it("an unsubscribe() cut off by a lost connection keeps what it could not finish, and the next session finishes it (C30)", async () => {
    chain = createChain();
    const store = new MemoryStore();
    const { push, xmpp } = await chain.device("bob", "phone", { store });
    const registration = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "tok" });
    // Logging out on a network that is gone: neither request can go out.
    await goOffline(chain, xmpp);
    const report = await push.unsubscribe();
    expect(report.errors.map((error) => error.condition)).toEqual(["disconnected", "disconnected"]);
    expect(report.removed).toEqual([]);
    expect(report.pending.map((pending) => pending.pendingRemoval)).toEqual([["disable", "unregister"]]);
    expect((await store.list()).map((stored) => [stored.node, stored.pendingRemoval])).toEqual([[registration.node, ["disable", "unregister"]]]);
    expect(chain.server.registrations("bob")).toHaveLength(1);
    expect(chain.appServer.registrations()).toHaveLength(1);

    const enabled = record(push, "enabled");
    const errors = record(push, "error");
    await xmpp.start();
    await waitFor(() => chain.server.registrations("bob").length === 0 && chain.appServer.registrations().length === 0, 3000, "the removal finished");
    await waitFor(async () => (await store.list()).length === 0, 3000, "the registration forgotten");
    // Finished, and not enabled again: no enable went out (nor failed).
    await xmpp.iqCaller.request(xml("iq", { type: "get", to: "example.test" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect([...enabled, ...errors]).toEqual([]);
  });

  it("a subscribe() over a registration whose removal is pending registers it anew and clears the mark (C30)", async () => {
    chain = createChain();
    const store = new MemoryStore();
    const { push, xmpp } = await chain.device("bob", "phone", { store });
    const first = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "tok" });
    await goOffline(chain, xmpp);
    expect((await push.unsubscribe()).pending).toHaveLength(1);
    // The app is launched again, and its PushClient made once the connection is online: no fresh session finishes the removal first.
    push.dispose();
    await xmpp.start();
    const later = new PushClient(xmpp, { store });
    const again = await later.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "tok" });
    expect(again.deviceId).toBe(first.deviceId);
    expect(again.pendingRemoval).toBeUndefined();
    expect((await store.list()).map((stored) => [stored.node, stored.pendingRemoval])).toEqual([[again.node, undefined]]);
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual([again.node]);
    expect(chain.appServer.registrations().map((registration) => registration.node)).toEqual([again.node]);
  });

  it("an unregister answered with a wait error stays pending alone; the next unsubscribe() retries only it (C30)", async () => {
    chain = createChain();
    let busy = true;
    const unregisters: string[] = [];
    chain.server.attach(
      modPushLike("busy.example.test", (command) => {
        if (command.node === "unregister-push") {
          unregisters.push(command.node);
          if (busy) throw new ProtocolPushError("resource-constraint", "try again later", { type: "wait" });
          return buildCommandResponse({ node: command.node, status: "completed", notes: [] });
        }
        const result = { type: "result" as const, fields: [{ var: "jid", values: ["busy.example.test"] }, { var: "node", values: ["n-1"] }, { var: "secret", values: ["s-1"] }] };
        return buildCommandResponse({ node: command.node, status: "completed", form: result, notes: [] });
      }),
    );
    const store = new MemoryStore();
    const { push, xmpp } = await chain.device("bob", "phone", { store });
    await push.subscribe({ appServer: "busy.example.test", provider: "fcm", token: "tok" });
    const disables: Element[] = [];
    xmpp.on("send", (element: Element) => void (element.getChild("disable", NS.push) && disables.push(element)));

    const first = await push.unsubscribe();
    expect(first.errors.map((error) => [error.condition, error.type])).toEqual([["resource-constraint", "wait"]]);
    expect(first.pending.map((registration) => registration.pendingRemoval)).toEqual([["unregister"]]);
    // The disable went through: the server holds nothing, and no later step sends it again.
    expect(chain.server.registrations("bob")).toEqual([]);
    expect(disables).toHaveLength(1);

    busy = false;
    const second = await push.unsubscribe();
    expect(second.errors).toEqual([]);
    expect(second.removed.map((registration) => registration.node)).toEqual(["n-1"]);
    expect(unregisters).toHaveLength(2);
    expect(disables).toHaveLength(1);
    expect(await store.list()).toEqual([]);
  });

  it("unsubscribe() attempts every step when one fails, and reports it (C16)", async () => {
    chain = createChain();
    const { push } = await chain.device("bob", "phone", { timeout: 300 });
    await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "tok" });
    // A connection on which the app server is unreachable: unregistering fails, disabling and forgetting must still happen.
    const broken = new PushClient(
      {
        jid: { toString: () => "bob@example.test/phone" },
        iqCaller: {
          request: async (iq: Element) => {
            const to = iq.attrs.to as string | undefined;
            if (to === APP_SERVER) throw Object.assign(new Error("remote-server-not-found"), { name: "StanzaError", element: xml("error", { type: "cancel" }, xml("remote-server-not-found", { xmlns: NS.stanzas })) });
            return xml("iq", { type: "result" });
          },
        },
        on: () => undefined,
      },
      { store: push.store },
    );
    const errors: PushError[] = [];
    broken.on("error", (error) => errors.push(error));
    const report = await broken.unsubscribe();
    expect(report.removed).toHaveLength(1);
    expect(report.errors.map((error) => error.condition)).toEqual(["remote-server-not-found"]);
    expect(errors).toEqual(report.errors);
    expect(await push.store.list()).toEqual([]);
  });
});
