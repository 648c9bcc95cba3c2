import { ejabberdPublish, prosodyPublish } from "../fixtures/recorded-publishes.js";
import { parseXml, roundTrip } from "../helpers/parse-xml.js";
import { commandsSpecific, errorOf } from "../helpers/stanza-error.js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  buildCommandRequest,
  buildDiscoInfoQuery,
  buildDiscoItemsQuery,
  buildIq,
  buildNotification,
  buildPublish,
  type CommandRequest,
  type CommandResponse,
  type DataForm,
  type Element,
  type FieldValue,
  formFromValues,
  getValue,
  getValues,
  NS,
  parseCommandResponse,
  parseDiscoInfo,
  parseDiscoItems,
  type Summary,
  xml,
} from "../../src/protocol/index.js";
import {
  type AppRegistration,
  type AppServer,
  type AppServerEvents,
  type AppServerOptions,
  createAppServer,
  createRecordingProvider,
  type Delivery,
  type ProviderMessage,
  type ProviderResult,
} from "../../src/sim/app-server/index.js";

const APP = "push.example.test";
const BOB = "bob@example.test/phone";
const BOB_LAPTOP = "bob@example.test/laptop";
const ALICE = "alice@example.test/tablet";
const ALL_PROVIDERS = ["apns", "gcm", "fcm", "mozilla", "ubuntu", "wns", "webpush"];
const HEX_128 = /^[0-9a-f]{32}$/;
const WAIT = { interval: 1, timeout: 2_000 };

let clock: number;
let ids: number;
let appServer: AppServer;
let sent: Element[];
let unlink: () => void;

function start(options: Partial<AppServerOptions> = {}): void {
  appServer = createAppServer({ jid: APP, now: () => clock, ...options });
  sent = [];
  unlink = appServer.connect((stanza) => sent.push(stanza));
}

beforeEach(() => {
  clock = 1_000_000;
  ids = 0;
  start();
});

/** Feeds an IQ to the connected app server and waits for the reply it sends. */
async function exchange(iq: Element): Promise<Element> {
  const id = `iq${++ids}`;
  iq.attrs.id = id;
  appServer.receive(roundTrip(iq));
  const reply = await vi.waitFor(() => {
    const found = sent.find((stanza) => stanza.attrs.id === id);
    if (!found) throw new Error(`no reply to ${id} yet`);
    return found;
  }, WAIT);
  expect(reply.attrs.to).toBe(iq.attrs.from);
  expect(reply.attrs.from).toBe(iq.attrs.to ?? APP);
  return roundTrip(reply);
}

async function command(from: string, request: CommandRequest): Promise<Element> {
  return exchange(buildIq({ type: "set", from, to: APP }, buildCommandRequest(request)));
}

async function commandResponse(from: string, request: CommandRequest): Promise<CommandResponse> {
  const reply = await command(from, request);
  expect(reply.attrs.type).toBe("result");
  const payload = reply.getChild("command", NS.commands);
  if (!payload) throw new Error(`no command in ${reply.toString()}`);
  return parseCommandResponse(payload);
}

function submit(values: Record<string, FieldValue | undefined>): DataForm {
  return formFromValues("submit", undefined, values);
}

interface Registered {
  jid: string;
  node: string;
  secret: string;
}

async function register(from: string, provider: string, values: Record<string, FieldValue | undefined>): Promise<Registered> {
  const response = await commandResponse(from, { node: `register-push-${provider}`, form: submit(values) });
  expect(response.status).toBe("completed");
  const form = response.form;
  if (!form) throw new Error("completed registration without a form");
  expect(form.type).toBe("result");
  return { jid: getValue(form, "jid") ?? "", node: getValue(form, "node") ?? "", secret: getValue(form, "secret") ?? "" };
}

function publishIq(from: string, node: string, options: { secret?: string; summary?: Summary; to?: string } = {}): Element {
  const payload = buildPublish({
    node,
    payload: buildNotification(options.summary ? { summary: options.summary } : {}),
    publishOptions: options.secret === undefined ? undefined : formFromValues("submit", NS.publishOptions, { secret: options.secret }),
  });
  return buildIq({ type: "set", from, to: options.to ?? APP }, payload);
}

function webPushKeys(): { p256dh: string; auth: string } {
  const point = new Uint8Array(65);
  point[0] = 0x04;
  for (let i = 1; i < point.length; i++) point[i] = (i * 37) % 256;
  const auth = new Uint8Array(16).map((_, i) => i * 11);
  return { p256dh: Buffer.from(point).toString("base64url"), auth: Buffer.from(auth).toString("base64url") };
}

function recorded<Name extends keyof AppServerEvents>(name: Name): AppServerEvents[Name][0][] {
  const events: AppServerEvents[Name][0][] = [];
  appServer.on(name, (...args) => events.push(args[0]));
  return events;
}

describe("A1 service discovery", () => {
  it("A1: disco#info lists identity pubsub/push and the push, commands, pubsub and disco features", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoInfoQuery()));
    expect(reply.attrs).toMatchObject({ type: "result", to: BOB, from: APP });
    const info = parseDiscoInfo(reply.getChild("query", NS.discoInfo) as Element);
    expect(info.identities).toEqual([{ category: "pubsub", type: "push", name: "xmpp-push app server" }]);
    expect(info.features).toEqual([NS.discoInfo, NS.discoItems, NS.commands, NS.push, NS.pubsub]);
  });

  it("A1: disco#info on a command node is an automation/command-node with commands + data forms", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoInfoQuery("register-push-fcm")));
    const info = parseDiscoInfo(reply.getChild("query", NS.discoInfo) as Element);
    expect(info.node).toBe("register-push-fcm");
    expect(info.identities).toEqual([{ category: "automation", type: "command-node", name: "Register a fcm device" }]);
    expect(info.features).toEqual([NS.commands, NS.dataForms]);
  });

  it("A1: disco#info on an unknown node is item-not-found", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoInfoQuery("no-such-node")));
    expect(errorOf(reply)).toMatchObject({ type: "cancel", condition: "item-not-found" });
  });

  it("A1: a reply to an IQ without `to` comes from the app server's JID", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB }, buildDiscoInfoQuery()));
    expect(reply.attrs.from).toBe(APP);
  });
});

describe("A2 command list", () => {
  it("A2: disco#items on the commands node lists a register command per provider, list and unregister", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoItemsQuery(NS.commands)));
    const items = parseDiscoItems(reply.getChild("query", NS.discoItems) as Element);
    expect(items.node).toBe(NS.commands);
    expect(items.items).toEqual([
      ...ALL_PROVIDERS.map((provider) => ({ jid: APP, node: `register-push-${provider}`, name: `Register a ${provider} device` })),
      { jid: APP, node: "list-push-registrations", name: "List push registrations" },
      { jid: APP, node: "unregister-push", name: "Unregister push" },
    ]);
  });

  it("A2: with custom providers only their register commands are listed and executable", async () => {
    const deliveries: Delivery[] = [];
    start({ providers: { fcm: createRecordingProvider("fcm", deliveries) } });
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoItemsQuery(NS.commands)));
    const nodes = parseDiscoItems(reply.getChild("query", NS.discoItems) as Element).items.map((item) => item.node);
    expect(nodes).toEqual(["register-push-fcm", "list-push-registrations", "unregister-push"]);
    const refused = await command(BOB, { node: "register-push-apns", form: submit({ token: "t" }) });
    expect(errorOf(refused)).toMatchObject({ type: "cancel", condition: "item-not-found" });
  });

  it("A2: disco#items on the service root lists no nodes; on another node it is item-not-found", async () => {
    const root = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoItemsQuery()));
    expect(parseDiscoItems(root.getChild("query", NS.discoItems) as Element).items).toEqual([]);
    const other = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoItemsQuery("elsewhere")));
    expect(errorOf(other).condition).toBe("item-not-found");
  });
});

describe("A3 registration", () => {
  it("A3: a single-stage register returns jid, node and secret of 128 random bits each", async () => {
    const registered = recorded("registered");
    const result = await register(BOB, "fcm", { token: "fcm-token-1", "device-name": "Bob's phone" });
    expect(result.jid).toBe(APP);
    expect(result.node).toMatch(HEX_128);
    expect(result.secret).toMatch(HEX_128);
    expect(result.secret).not.toBe(result.node);
    const expected: AppRegistration = {
      owner: "bob@example.test",
      provider: "fcm",
      deviceId: "phone",
      deviceName: "Bob's phone",
      token: "fcm-token-1",
      node: result.node,
      secret: result.secret,
      fields: { token: ["fcm-token-1"], "device-name": ["Bob's phone"] },
      createdAt: clock,
    };
    expect(appServer.registrations()).toEqual([expected]);
    expect(registered).toEqual([expected]);
  });

  it("A3: every registration gets its own node and secret", async () => {
    const first = await register(BOB, "fcm", { token: "a" });
    const second = await register(BOB_LAPTOP, "fcm", { token: "b" });
    const third = await register(ALICE, "fcm", { token: "c" });
    expect(new Set([first.node, second.node, third.node, first.secret, second.secret, third.secret]).size).toBe(6);
  });

  it("A3: the result form carries typed jid, node and secret fields", async () => {
    const response = await commandResponse(BOB, { node: "register-push-gcm", form: submit({ token: "g" }) });
    expect(response.form?.fields.map((field) => [field.var, field.type])).toEqual([
      ["jid", "jid-single"],
      ["node", "text-single"],
      ["secret", "text-private"],
    ]);
    expect(response.sessionid).toMatch(HEX_128);
  });

  it("A3: each royneary provider registers with a token; device-id overrides the resource", async () => {
    for (const provider of ["apns", "gcm", "fcm", "mozilla", "wns"]) {
      await register(BOB, provider, { token: `${provider}-token`, "device-id": `dev-${provider}` });
    }
    expect(appServer.registrations().map((r) => [r.provider, r.token, r.deviceId])).toEqual([
      ["apns", "apns-token", "dev-apns"],
      ["gcm", "gcm-token", "dev-gcm"],
      ["fcm", "fcm-token", "dev-fcm"],
      ["mozilla", "mozilla-token", "dev-mozilla"],
      ["wns", "wns-token", "dev-wns"],
    ]);
  });

  it("A3: apns keeps silent-push and ubuntu application-id among the registration's fields", async () => {
    await register(BOB, "apns", { token: "apns-token", "silent-push": true });
    await register(BOB_LAPTOP, "ubuntu", { token: "ubuntu-token", "application-id": "com.example.app" });
    const [apns, ubuntu] = appServer.registrations();
    expect(apns?.fields).toEqual({ token: ["apns-token"], "silent-push": ["1"] });
    expect(ubuntu?.fields).toEqual({ token: ["ubuntu-token"], "application-id": ["com.example.app"] });
    expect(ubuntu?.deviceId).toBe("laptop");
  });

  it("A3: webpush registers a subscription; its endpoint is the token", async () => {
    const keys = webPushKeys();
    const endpoint = "https://push.example.net/wpush/v2/abc?x=1&y=2";
    await register(BOB, "webpush", { endpoint, ...keys });
    const [registration] = appServer.registrations();
    expect(registration?.token).toBe(endpoint);
    expect(registration?.fields).toEqual({ endpoint: [endpoint], p256dh: [keys.p256dh], auth: [keys.auth] });
  });

  it("A3: multi-stage — execute without a form opens a session with the form, complete finishes it", async () => {
    const first = await commandResponse(BOB, { node: "register-push-apns" });
    expect(first.status).toBe("executing");
    expect(first.sessionid).toMatch(HEX_128);
    expect(first.actions).toEqual({ allowed: ["complete"], default: "complete" });
    expect(first.form?.type).toBe("form");
    expect(first.form?.fields.map((field) => [field.var, field.type, field.required ?? false])).toEqual([
      ["token", "text-single", true],
      ["silent-push", "boolean", false],
      ["device-id", "text-single", false],
      ["device-name", "text-single", false],
    ]);
    expect(first.form?.fields.map((field) => field.label)).toEqual([
      "Device token",
      "Silent push (content-available)",
      "Device ID",
      "Device name",
    ]);
    expect(appServer.registrations()).toEqual([]);

    const second = await commandResponse(BOB, {
      node: "register-push-apns",
      action: "complete",
      sessionid: first.sessionid,
      form: submit({ token: "apns-1" }),
    });
    expect(second.status).toBe("completed");
    expect(second.sessionid).toBe(first.sessionid);
    expect(getValue(second.form as DataForm, "node")).toBe(appServer.registrations()[0]?.node);

    const reused = await command(BOB, { node: "register-push-apns", action: "complete", sessionid: first.sessionid, form: submit({ token: "x" }) });
    expect(errorOf(reused)).toMatchObject({ type: "modify", condition: "bad-request" });
    expect(commandsSpecific(reused)).toBe("bad-sessionid");
  });

  it("A3: multi-stage — the webpush form asks for endpoint, p256dh and auth; action next also completes", async () => {
    const first = await commandResponse(BOB, { node: "register-push-webpush" });
    expect(first.form?.fields.map((field) => [field.var, field.required ?? false])).toEqual([
      ["endpoint", true],
      ["p256dh", true],
      ["auth", true],
      ["device-id", false],
      ["device-name", false],
    ]);
    const done = await commandResponse(BOB, {
      node: "register-push-webpush",
      action: "next",
      sessionid: first.sessionid,
      form: submit({ endpoint: "https://push.example.net/e1", ...webPushKeys() }),
    });
    expect(done.status).toBe("completed");
    expect(appServer.registrations().map((r) => r.token)).toEqual(["https://push.example.net/e1"]);
  });

  it("A3: multi-stage — cancel ends the session with status canceled and registers nothing", async () => {
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    const canceled = await commandResponse(BOB, { node: "register-push-fcm", action: "cancel", sessionid: first.sessionid });
    expect(canceled).toEqual({ node: "register-push-fcm", status: "canceled", sessionid: first.sessionid, notes: [] });
    const after = await command(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(commandsSpecific(after)).toBe("bad-sessionid");
    expect(appServer.registrations()).toEqual([]);
  });

  it("A3: multi-stage — completing without the form is bad-payload and the session stays open", async () => {
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    const empty = await command(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid });
    expect(errorOf(empty)).toMatchObject({ type: "modify", condition: "bad-request" });
    expect(commandsSpecific(empty)).toBe("bad-payload");
    const done = await commandResponse(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(done.status).toBe("completed");
  });
});

describe("A10 ad-hoc session errors", () => {
  it("A10: an unknown sessionid is bad-request + bad-sessionid", async () => {
    const reply = await command(BOB, { node: "register-push-fcm", action: "complete", sessionid: "nope", form: submit({ token: "t" }) });
    expect(errorOf(reply)).toMatchObject({ type: "modify", condition: "bad-request", specific: "bad-sessionid" });
    expect(commandsSpecific(reply)).toBe("bad-sessionid");
  });

  it("A10: a session past the timeout is not-allowed + session-expired", async () => {
    start({ sessionTimeout: 60_000 });
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    clock += 60_001;
    const reply = await command(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(errorOf(reply)).toMatchObject({ type: "cancel", condition: "not-allowed" });
    expect(commandsSpecific(reply)).toBe("session-expired");
    expect(appServer.registrations()).toEqual([]);
  });

  it("A10: a session within the timeout still completes", async () => {
    start({ sessionTimeout: 60_000 });
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    clock += 60_000;
    const done = await commandResponse(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(done.status).toBe("completed");
  });

  it("A10: a session belongs to the full JID that opened it", async () => {
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    for (const intruder of [BOB_LAPTOP, ALICE]) {
      const reply = await command(intruder, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
      expect(commandsSpecific(reply)).toBe("bad-sessionid");
    }
    const otherCommand = await command(BOB, { node: "register-push-gcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(commandsSpecific(otherCommand)).toBe("bad-sessionid");
    expect(appServer.registrations()).toEqual([]);
  });

  it("A10: a non-execute action without a session is bad-request + bad-sessionid", async () => {
    for (const action of ["complete", "next", "cancel", "prev"] as const) {
      const reply = await command(BOB, { node: "register-push-fcm", action, form: submit({ token: "t" }) });
      expect(errorOf(reply)).toMatchObject({ type: "modify", condition: "bad-request" });
      expect(commandsSpecific(reply)).toBe("bad-sessionid");
    }
    expect(appServer.registrations()).toEqual([]);
  });

  it("A10: prev within a session is bad-request + bad-action", async () => {
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    const reply = await command(BOB, { node: "register-push-fcm", action: "prev", sessionid: first.sessionid });
    expect(commandsSpecific(reply)).toBe("bad-action");
  });

  it("A10: an unknown action is bad-request + malformed-action", async () => {
    const iq = buildIq({ type: "set", from: BOB, to: APP }, xml("command", { xmlns: NS.commands, node: "register-push-fcm", action: "dance" }));
    const reply = await exchange(iq);
    expect(errorOf(reply).condition).toBe("bad-request");
    expect(commandsSpecific(reply)).toBe("malformed-action");
  });

  it("A10: an unknown command node is cancel/item-not-found", async () => {
    const reply = await command(BOB, { node: "register-push-pigeon", form: submit({ token: "t" }) });
    expect(errorOf(reply)).toMatchObject({ type: "cancel", condition: "item-not-found" });
  });

  it("A10: a command without a from address is bad-request", async () => {
    const reply = await exchange(buildIq({ type: "set", to: APP }, buildCommandRequest({ node: "list-push-registrations" })));
    expect(errorOf(reply)).toMatchObject({ type: "modify", condition: "bad-request" });
  });
});

describe("A10 bad registration forms", () => {
  async function expectBadPayload(from: string, provider: string, form: DataForm, text: string): Promise<void> {
    const reply = await command(from, { node: `register-push-${provider}`, form });
    expect(errorOf(reply)).toEqual({ type: "modify", condition: "bad-request", specific: "bad-payload", text });
    expect(commandsSpecific(reply)).toBe("bad-payload");
  }

  it("A10: a missing token is bad-payload", async () => {
    await expectBadPayload(BOB, "fcm", submit({ "device-name": "x" }), "missing required field 'token'");
    await expectBadPayload(BOB, "fcm", submit({ token: "" }), "missing required field 'token'");
    expect(appServer.registrations()).toEqual([]);
  });

  it("A10: webpush needs endpoint, p256dh and auth, each valid", async () => {
    const keys = webPushKeys();
    const endpoint = "https://push.example.net/e";
    await expectBadPayload(BOB, "webpush", submit({ endpoint, auth: keys.auth }), "missing required field 'p256dh'");
    await expectBadPayload(BOB, "webpush", submit({ token: "t", p256dh: keys.p256dh, auth: keys.auth }), "missing required field 'endpoint'");
    await expectBadPayload(BOB, "webpush", submit({ endpoint: "not a url", ...keys }), "endpoint must be an absolute http(s) URL");
    await expectBadPayload(
      BOB,
      "webpush",
      submit({ endpoint, p256dh: keys.auth, auth: keys.auth }),
      "p256dh must be a base64url uncompressed P-256 public key (65 bytes)",
    );
    await expectBadPayload(BOB, "webpush", submit({ endpoint, p256dh: keys.p256dh, auth: "%%%" }), "auth must be a base64url 16-byte secret");
    expect(appServer.registrations()).toEqual([]);
  });

  it("A10: ubuntu needs application-id; apns silent-push must be a boolean", async () => {
    await expectBadPayload(BOB, "ubuntu", submit({ token: "t" }), "missing required field 'application-id'");
    await expectBadPayload(BOB, "apns", submit({ token: "t", "silent-push": "maybe" }), "field 'silent-push' must be a boolean (1, 0, true, false)");
  });

  it("A10: without device-id and without a resource there is no device to register", async () => {
    await expectBadPayload("bob@example.test", "fcm", submit({ token: "t" }), "no device-id given and no resource to default it to");
    await register("bob@example.test", "fcm", { token: "t", "device-id": "d1" });
    expect(appServer.registrations().map((r) => r.deviceId)).toEqual(["d1"]);
  });

  it("A10: a form that is not a submit, a token with two values, or a broken form is bad-payload", async () => {
    await expectBadPayload(BOB, "fcm", formFromValues("form", undefined, { token: "t" }), "registration form must be of type submit, got form");
    await expectBadPayload(BOB, "fcm", submit({ token: ["a", "b"] }), "field 'token' takes one value");
    const broken = xml(
      "command",
      { xmlns: NS.commands, node: "register-push-fcm", action: "execute" },
      xml("x", { xmlns: NS.dataForms, type: "submit" }, xml("field", {}, xml("value", {}, "t"))),
    );
    const reply = await exchange(buildIq({ type: "set", from: BOB, to: APP }, broken));
    expect(errorOf(reply)).toMatchObject({ condition: "bad-request", specific: "bad-payload" });
  });
});

describe("A4 re-registration", () => {
  it("A4: re-registering the same device keeps node and secret and replaces the token", async () => {
    const first = await register(BOB, "fcm", { token: "old-token", "device-name": "Old name" });
    clock += 5_000;
    const second = await register(BOB, "fcm", { token: "new-token" });
    expect(second).toEqual(first);
    expect(appServer.registrations()).toEqual([
      {
        owner: "bob@example.test",
        provider: "fcm",
        deviceId: "phone",
        token: "new-token",
        node: first.node,
        secret: first.secret,
        fields: { token: ["new-token"] },
        createdAt: clock - 5_000,
      },
    ]);
  });

  it("A4: another device, another provider or another user is another registration", async () => {
    const base = await register(BOB, "fcm", { token: "t1" });
    const otherDevice = await register(BOB_LAPTOP, "fcm", { token: "t1" });
    const otherProvider = await register(BOB, "apns", { token: "t1" });
    const otherUser = await register("alice@example.test/phone", "fcm", { token: "t1" });
    expect(new Set([base.node, otherDevice.node, otherProvider.node, otherUser.node]).size).toBe(4);
    expect(appServer.registrations()).toHaveLength(4);
  });

  it("A4: the same device-id from another resource of the same account replaces too", async () => {
    const first = await register(BOB, "fcm", { token: "t1", "device-id": "shared" });
    const second = await register(BOB_LAPTOP, "fcm", { token: "t2", "device-id": "shared" });
    expect(second.node).toBe(first.node);
    expect(appServer.registrations().map((r) => r.token)).toEqual(["t2"]);
  });
});

describe("A5 list and unregister", () => {
  async function list(from: string): Promise<DataForm> {
    const response = await commandResponse(from, { node: "list-push-registrations" });
    expect(response.status).toBe("completed");
    return response.form as DataForm;
  }

  function rows(form: DataForm): Record<string, string[]>[] {
    return (form.items ?? []).map((item) => Object.fromEntries(item.map((field) => [field.var ?? "", field.values])));
  }

  it("A5: list shows only the requester's registrations, with node, device-id, device-name and provider", async () => {
    const bobPhone = await register(BOB, "fcm", { token: "b1", "device-name": "Phone" });
    const bobLaptop = await register(BOB_LAPTOP, "webpush", { endpoint: "https://push.example.net/b2", ...webPushKeys() });
    const alice = await register(ALICE, "apns", { token: "a1", "device-name": "Alice's tablet" });

    const bobs = await list(BOB_LAPTOP);
    expect(bobs.type).toBe("result");
    expect(bobs.reported?.map((field) => field.var)).toEqual(["node", "device-id", "device-name", "provider"]);
    expect(rows(bobs)).toEqual([
      { node: [bobPhone.node], "device-id": ["phone"], "device-name": ["Phone"], provider: ["fcm"] },
      { node: [bobLaptop.node], "device-id": ["laptop"], "device-name": [], provider: ["webpush"] },
    ]);
    expect(rows(await list(ALICE))).toEqual([
      { node: [alice.node], "device-id": ["tablet"], "device-name": ["Alice's tablet"], provider: ["apns"] },
    ]);
    expect(rows(await list("carol@example.test/x"))).toEqual([]);
  });

  it("A5: unregister by device-id removes that device's registrations and lists the removed nodes", async () => {
    const unregistered = recorded("unregistered");
    const phoneFcm = await register(BOB, "fcm", { token: "b1" });
    const phoneApns = await register(BOB, "apns", { token: "b2" });
    const laptop = await register(BOB_LAPTOP, "fcm", { token: "b3" });
    const response = await commandResponse(BOB_LAPTOP, { node: "unregister-push", form: submit({ "device-id": "phone" }) });
    expect(response.status).toBe("completed");
    expect(response.form?.fields).toEqual([{ var: "nodes", type: "list-multi", label: "Removed nodes", values: [phoneFcm.node, phoneApns.node] }]);
    expect(appServer.registrations().map((r) => r.node)).toEqual([laptop.node]);
    expect(unregistered.map((r) => r.node)).toEqual([phoneFcm.node, phoneApns.node]);
  });

  it("A5: unregister by nodes wins over device-id", async () => {
    const phone = await register(BOB, "fcm", { token: "b1" });
    const laptop = await register(BOB_LAPTOP, "fcm", { token: "b2" });
    const response = await commandResponse(BOB, { node: "unregister-push", form: submit({ nodes: [laptop.node], "device-id": "phone" }) });
    expect(getValues(response.form as DataForm, "nodes")).toEqual([laptop.node]);
    expect(appServer.registrations().map((r) => r.node)).toEqual([phone.node]);
  });

  it("A5: unregister without a form or fields removes the requesting resource's registrations", async () => {
    const phone = await register(BOB, "fcm", { token: "b1" });
    const laptop = await register(BOB_LAPTOP, "fcm", { token: "b2" });
    const response = await commandResponse(BOB, { node: "unregister-push" });
    expect(getValues(response.form as DataForm, "nodes")).toEqual([phone.node]);
    expect(appServer.registrations().map((r) => r.node)).toEqual([laptop.node]);
  });

  it("A5: nobody can unregister another user's registrations, by node or by device-id", async () => {
    const alice = await register("alice@example.test/phone", "fcm", { token: "a1" });
    const byNode = await commandResponse(BOB, { node: "unregister-push", form: submit({ nodes: [alice.node] }) });
    expect(getValues(byNode.form as DataForm, "nodes")).toEqual([]);
    const byDevice = await commandResponse(BOB, { node: "unregister-push", form: submit({ "device-id": "phone" }) });
    expect(getValues(byDevice.form as DataForm, "nodes")).toEqual([]);
    expect(appServer.registrations().map((r) => r.node)).toEqual([alice.node]);
  });

  it("A5: unregister without fields from a bare JID is bad-payload", async () => {
    const reply = await command("bob@example.test", { node: "unregister-push" });
    expect(errorOf(reply)).toMatchObject({ condition: "bad-request", specific: "bad-payload" });
  });

  it("A5: registrations(owner) filters by bare JID and hands out copies", async () => {
    await register(BOB, "fcm", { token: "b1" });
    await register(ALICE, "fcm", { token: "a1" });
    const [bobs, ...rest] = appServer.registrations("bob@example.test");
    expect(rest).toEqual([]);
    expect(bobs?.token).toBe("b1");
    if (bobs) {
      bobs.token = "tampered";
      bobs.fields.token = ["tampered"];
    }
    expect(appServer.registrations("bob@example.test")[0]?.token).toBe("b1");
    expect(appServer.registrations("bob@example.test")[0]?.fields.token).toEqual(["b1"]);
  });
});

describe("publish", () => {
  let bob: Registered;

  beforeEach(async () => {
    bob = await register(BOB, "fcm", { token: "bob-fcm-token" });
  });

  it("A6: a publish with the right secret from the owner's bare JID is delivered and answered with an empty result", async () => {
    const delivered = recorded("delivered");
    const summary: Summary = { messageCount: 2, lastMessageSender: "alice@example.test/tablet", lastMessageBody: "Hi" };
    const reply = await exchange(publishIq("bob@example.test", bob.node, { secret: bob.secret, summary }));
    expect(reply.attrs.type).toBe("result");
    expect(reply.getChildElements()).toEqual([]);
    const expected: Delivery = {
      provider: "fcm",
      token: "bob-fcm-token",
      node: bob.node,
      summary,
      owner: "bob@example.test",
      deviceId: "phone",
      at: clock,
    };
    expect(appServer.deliveries).toEqual([expected]);
    expect(delivered).toEqual([expected]);
  });

  it("A6: a publish without a secret is auth/not-authorized and delivers nothing", async () => {
    const rejected = recorded("rejected");
    const reply = await exchange(publishIq("example.test", bob.node, { summary: { messageCount: 1 } }));
    expect(errorOf(reply)).toEqual({ type: "auth", condition: "not-authorized", specific: undefined, text: "publish-options carry no secret" });
    expect(appServer.deliveries).toEqual([]);
    expect(rejected).toEqual([{ node: bob.node, from: "example.test", condition: "not-authorized" }]);
  });

  it("A6: a publish with a wrong secret (or another registration's) is auth/not-authorized and delivers nothing", async () => {
    const alice = await register(ALICE, "fcm", { token: "alice-token" });
    for (const secret of ["wrong", alice.secret, bob.secret.toUpperCase()]) {
      const reply = await exchange(publishIq("example.test", bob.node, { secret }));
      expect(errorOf(reply)).toMatchObject({ type: "auth", condition: "not-authorized", text: "wrong secret" });
    }
    expect(appServer.deliveries).toEqual([]);
  });

  it("A6: only the owner's bare JID or the owner's domain may publish — others are auth/forbidden", async () => {
    const rejected = recorded("rejected");
    for (const from of ["alice@example.test", BOB, "other.test", "bob@other.test", "example.test/resource", "sub.example.test"]) {
      const reply = await exchange(publishIq(from, bob.node, { secret: bob.secret }));
      expect(errorOf(reply)).toMatchObject({ type: "auth", condition: "forbidden" });
    }
    const anonymous = await exchange(publishIq("", bob.node, { secret: bob.secret }));
    expect(errorOf(anonymous)).toMatchObject({ type: "auth", condition: "forbidden" });
    expect(appServer.deliveries).toEqual([]);
    expect(rejected.map((r) => r.condition)).toEqual(Array(7).fill("forbidden"));
    expect(rejected[0]).toEqual({ node: bob.node, from: "alice@example.test", condition: "forbidden" });
  });

  it("A7: a publish to an unknown node is cancel/item-not-found", async () => {
    const reply = await exchange(publishIq("example.test", "0123456789abcdef0123456789abcdef", { secret: bob.secret }));
    expect(errorOf(reply)).toMatchObject({ type: "cancel", condition: "item-not-found" });
    expect(appServer.deliveries).toEqual([]);
  });

  it("A9: malformed publishes are modify/bad-request and the server keeps answering", async () => {
    const rejected = recorded("rejected");
    const secretOptions = formFromValues("submit", NS.publishOptions, { secret: bob.secret });
    const noPublish = xml("pubsub", { xmlns: NS.pubsub });
    const noNode = xml("pubsub", { xmlns: NS.pubsub }, xml("publish", {}, xml("item", {}, buildNotification())));
    const noItem = xml("pubsub", { xmlns: NS.pubsub }, xml("publish", { node: bob.node }));
    const emptyItem = buildPublish({ node: bob.node, publishOptions: secretOptions });
    const wrongPayload = buildPublish({ node: bob.node, payload: xml("notification", { xmlns: "urn:example:other" }), publishOptions: secretOptions });
    const brokenSummary = buildPublish({
      node: bob.node,
      payload: xml("notification", { xmlns: NS.push }, xml("x", { xmlns: NS.dataForms, type: "bogus" })),
      publishOptions: secretOptions,
    });
    for (const pubsub of [noPublish, noNode, noItem, emptyItem, wrongPayload, brokenSummary]) {
      const reply = await exchange(buildIq({ type: "set", from: "example.test", to: APP }, pubsub));
      expect(errorOf(reply)).toMatchObject({ type: "modify", condition: "bad-request" });
    }
    expect(rejected.map((r) => r.node)).toEqual(["", "", bob.node, bob.node, bob.node, bob.node]);
    expect(appServer.deliveries).toEqual([]);

    const good = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(good.attrs.type).toBe("result");
    expect(appServer.deliveries).toHaveLength(1);
  });

  it("A9: a publish without a node carries pubsub's nodeid-required", async () => {
    const noNode = xml("pubsub", { xmlns: NS.pubsub }, xml("publish", {}, xml("item", {}, buildNotification())));
    const reply = await exchange(buildIq({ type: "set", from: "example.test", to: APP }, noNode));
    const specific = reply.getChild("error")?.getChild("nodeid-required", "http://jabber.org/protocol/pubsub#errors");
    expect(specific).toBeDefined();
  });

  it("A9: an empty <notification/> is delivered with an empty summary", async () => {
    const reply = await exchange(publishIq("bob@example.test", bob.node, { secret: bob.secret }));
    expect(reply.attrs.type).toBe("result");
    expect(appServer.deliveries.map((d) => d.summary)).toEqual([{}]);
  });

  it("A8: failToken — the provider rejects the token, the registration goes, this and the next publish are item-not-found", async () => {
    const unregistered = recorded("unregistered");
    const rejected = recorded("rejected");
    appServer.failToken("bob-fcm-token");
    const first = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(errorOf(first)).toEqual({
      type: "cancel",
      condition: "item-not-found",
      specific: undefined,
      text: "the fcm push service rejected the device token; the node was removed",
    });
    expect(appServer.registrations()).toEqual([]);
    expect(unregistered.map((r) => [r.node, r.token])).toEqual([[bob.node, "bob-fcm-token"]]);
    const second = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(errorOf(second)).toMatchObject({ type: "cancel", condition: "item-not-found", text: `no push node '${bob.node}'` });
    expect(appServer.deliveries).toEqual([]);
    expect(rejected.map((r) => r.condition)).toEqual(["item-not-found", "item-not-found"]);
  });

  it("A8: a failed token only affects registrations with that token", async () => {
    const alice = await register(ALICE, "fcm", { token: "alice-token" });
    appServer.failToken("bob-fcm-token");
    const reply = await exchange(publishIq("alice@example.test", alice.node, { secret: alice.secret }));
    expect(reply.attrs.type).toBe("result");
    expect(appServer.deliveries.map((d) => d.token)).toEqual(["alice-token"]);
  });
});

describe("providers", () => {
  function scripted(result: ProviderResult | Error): { sent: ProviderMessage[]; provider: { send(message: ProviderMessage): Promise<ProviderResult> } } {
    const messages: ProviderMessage[] = [];
    return {
      sent: messages,
      provider: {
        send(message) {
          messages.push(message);
          return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
        },
      },
    };
  }

  it("A8: a transient provider failure is wait/resource-constraint and keeps the registration", async () => {
    const { sent: messages, provider } = scripted({ ok: false, reason: "transient", retryAfter: 30_000 });
    start({ providers: { fcm: provider } });
    const delivered = recorded("delivered");
    const bob = await register(BOB, "fcm", { token: "t" });
    const reply = await exchange(publishIq("example.test", bob.node, { secret: bob.secret, summary: { messageCount: 1 } }));
    expect(errorOf(reply)).toMatchObject({
      type: "wait",
      condition: "resource-constraint",
      text: "the fcm push service is temporarily unavailable; retry after 30000 ms",
    });
    expect(appServer.registrations().map((r) => r.node)).toEqual([bob.node]);
    expect(messages.map((m) => [m.provider, m.token, m.node, m.summary, m.registration.secret])).toEqual([
      ["fcm", "t", bob.node, { messageCount: 1 }, bob.secret],
    ]);
    expect(delivered).toEqual([]);
    expect(appServer.deliveries).toEqual([]);
  });

  it("A8: a provider that throws is wait/internal-server-error and keeps the registration", async () => {
    const { provider } = scripted(new Error("socket hang up"));
    start({ providers: { fcm: provider } });
    const rejected = recorded("rejected");
    const bob = await register(BOB, "fcm", { token: "t" });
    const reply = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(errorOf(reply)).toMatchObject({ type: "wait", condition: "internal-server-error", text: "the fcm provider failed: socket hang up" });
    expect(appServer.registrations()).toHaveLength(1);
    expect(rejected).toEqual([{ node: bob.node, from: "example.test", condition: "internal-server-error" }]);
  });

  it("A8: a custom provider's success is emitted as delivered but not recorded in deliveries", async () => {
    const { provider } = scripted({ ok: true });
    start({ providers: { fcm: provider } });
    const delivered = recorded("delivered");
    const bob = await register(BOB, "fcm", { token: "t" });
    await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(delivered.map((d) => [d.node, d.token, d.owner])).toEqual([[bob.node, "t", "bob@example.test"]]);
    expect(appServer.deliveries).toEqual([]);
  });

  it("createRecordingProvider records into the given array, which the app server exposes as deliveries", async () => {
    const deliveries: Delivery[] = [];
    const fcm = createRecordingProvider("fcm", deliveries, () => 42);
    start({ providers: { fcm }, deliveries });
    expect(appServer.deliveries).toBe(deliveries);
    const bob = await register(BOB, "fcm", { token: "t" });
    await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(deliveries.map((d) => [d.token, d.at])).toEqual([["t", 42]]);
    fcm.fail("t");
    const reply = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(errorOf(reply).condition).toBe("item-not-found");
    expect(deliveries).toHaveLength(1);
  });
});

describe("real servers' publishes", () => {
  it("A6: Prosody's publish (from the domain, summary type form, empty fields left in) is delivered", async () => {
    const bob = await register(BOB, "fcm", { token: "bob-fcm-token" });
    const prosody = parseXml(
      prosodyPublish({ to: APP, from: "example.test", id: "3f2a9c0d1e7b4a6f8c5d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b", node: bob.node, secret: bob.secret }),
    );
    const reply = await appServer.handleIq(prosody);
    expect(reply.attrs).toEqual({
      type: "result",
      id: "3f2a9c0d1e7b4a6f8c5d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b",
      to: "example.test",
      from: APP,
    });
    expect(appServer.deliveries).toEqual([
      {
        provider: "fcm",
        token: "bob-fcm-token",
        node: bob.node,
        summary: { messageCount: 1, lastMessageBody: "New Message!" },
        owner: "bob@example.test",
        deviceId: "phone",
        at: clock,
      },
    ]);
  });

  it("A6: ejabberd's publish (from the domain, summary type submit, no message-count) is delivered", async () => {
    const bob = await register(BOB, "apns", { token: "bob-apns-token" });
    const ejabberd = parseXml(ejabberdPublish({ to: APP, from: "example.test", id: "rr-A1b2C3d4", node: bob.node, secret: bob.secret }));
    appServer.receive(ejabberd);
    const reply = await vi.waitFor(() => {
      const found = sent.find((stanza) => stanza.attrs.id === "rr-A1b2C3d4");
      if (!found) throw new Error("no reply yet");
      return found;
    }, WAIT);
    expect(reply.attrs.type).toBe("result");
    expect(appServer.deliveries.map((d) => [d.provider, d.token, d.summary])).toEqual([
      ["apns", "bob-apns-token", { lastMessageBody: "New message" }],
    ]);
  });
});

describe("C11 XML specials and non-ASCII", () => {
  const tricky = `<b>&amp; "quoted" 'single' — Grüße, 你好, 🚀 </b>`;

  it("A3: a device name and token with XML specials and non-ASCII survive registration and listing", async () => {
    const result = await register(BOB, "fcm", { token: `tok&<>"'ü`, "device-name": tricky, "device-id": "ид-1" });
    const [registration] = appServer.registrations();
    expect(registration).toMatchObject({ token: `tok&<>"'ü`, deviceName: tricky, deviceId: "ид-1", node: result.node });
    const listing = await commandResponse(BOB, { node: "list-push-registrations" });
    expect(listing.form?.items?.[0]?.find((field) => field.var === "device-name")?.values).toEqual([tricky]);
  });

  it("A6: summary values with XML specials and non-ASCII survive the publish", async () => {
    const bob = await register(BOB, "fcm", { token: "t" });
    const summary: Summary = { messageCount: 3, lastMessageSender: "jürgen@example.test/ü", lastMessageBody: tricky, extra: { "x-note": ["a<b", "c&d"] } };
    const reply = await exchange(publishIq("bob@example.test", bob.node, { secret: bob.secret, summary }));
    expect(reply.attrs.type).toBe("result");
    expect(appServer.deliveries.map((d) => d.summary)).toEqual([summary]);
  });
});

describe("component behaviour", () => {
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it("A9: IQ results, IQ errors, messages and presences get no reply", async () => {
    appServer.receive(parseXml(`<iq type="result" from="example.test" to="${APP}" id="r1"/>`));
    appServer.receive(parseXml(`<iq type="error" from="example.test" to="${APP}" id="r2"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>`));
    appServer.receive(parseXml(`<message from="${BOB}" to="${APP}"><body>hi</body></message>`));
    appServer.receive(parseXml(`<presence from="${BOB}" to="${APP}"/>`));
    await settle();
    expect(sent).toEqual([]);
  });

  it("A9: an unknown request is cancel/service-unavailable; a request with two payloads is bad-request", async () => {
    const ping = await exchange(buildIq({ type: "get", from: BOB, to: APP }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(errorOf(ping)).toMatchObject({ type: "cancel", condition: "service-unavailable" });
    const infoAsSet = await exchange(buildIq({ type: "set", from: BOB, to: APP }, buildDiscoInfoQuery()));
    expect(errorOf(infoAsSet)).toMatchObject({ type: "cancel", condition: "service-unavailable" });
    const two = buildIq({ type: "get", from: BOB, to: APP }, buildDiscoInfoQuery());
    two.append(buildDiscoItemsQuery());
    expect(errorOf(await exchange(two))).toMatchObject({ type: "modify", condition: "bad-request" });
    const none = buildIq({ type: "get", from: BOB, to: APP });
    expect(errorOf(await exchange(none))).toMatchObject({ type: "modify", condition: "bad-request" });
  });

  it("A9: a publisher with a malformed JID gets an error and the server keeps running", async () => {
    const bob = await register(BOB, "fcm", { token: "t" });
    const reply = await exchange(publishIq("@@/", bob.node, { secret: bob.secret }));
    expect(reply.attrs.type).toBe("error");
    const good = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(good.attrs.type).toBe("result");
  });

  it("after unlinking, replies are no longer sent; handleIq still answers", async () => {
    unlink();
    appServer.receive(roundTrip(buildIq({ type: "get", from: BOB, to: APP, id: "late" }, buildDiscoInfoQuery())));
    await settle();
    expect(sent).toEqual([]);
    const reply = await appServer.handleIq(buildIq({ type: "get", from: BOB, to: APP, id: "direct" }, buildDiscoInfoQuery()));
    expect(reply.attrs).toMatchObject({ type: "result", id: "direct", to: BOB, from: APP });
  });

  it("a send function that throws does not escape receive", async () => {
    appServer.connect(() => {
      throw new Error("link broken");
    });
    expect(() => appServer.receive(roundTrip(buildIq({ type: "get", from: BOB, to: APP, id: "x" }, buildDiscoInfoQuery())))).not.toThrow();
    await settle();
  });
});
