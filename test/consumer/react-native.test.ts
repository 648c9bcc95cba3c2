// React Native, as an app gets it: the packed package and @xmpp/client installed into a fresh
// project with the real polyfill packages, bundled by Metro with the example's metro.config.js
// (react-native platform and resolver conditions), and the bundle run in a context that has only
// React Native's globals (support/react-native-globals.ts lists them and says where each comes
// from). Inside it, the example's own push module logs in over WebSocket, registers and enables
// with its token from the platform, keeps the registration in AsyncStorage, and, on the next
// launch, finds it there and receives the message that arrived offline. The simulators run
// outside, in this process, behind a real WebSocket listener, as a server would.
//
// Native code is stood in for, and only native code: react-native-get-random-values and
// react-native-random-uuid run as published, their native modules (RNGetRandomValues,
// RandomUuid) answer from node:crypto; Firebase's token and AsyncStorage's disk come from the
// native side too (test/consumer/react-native/stand-ins/).
import { randomBytes, randomUUID } from "node:crypto";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { xml } from "@xmpp/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Registration } from "../../src/index.js";
import { listenWebSocket, type XmppListener } from "../../src/node/index.js";
import { type AppServer, createAppServer, createXmppServer, type Delivery, type XmppServer } from "../../src/sim/index.js";
import { waitFor } from "../helpers/chain.js";
import { type ConsumerProject, createProject, repoRoot } from "./support/project.js";
import { expectedGlobalNames, type ReactNativeContext, reactNativeContext } from "./support/react-native-globals.js";
import { TEST_CERTIFICATE, terminateTls, type TlsTerminator } from "./support/tls-terminator.js";

const DOMAIN = "example.test";
const APP_SERVER = "push.example.test";
const FCM_TOKEN = `fcm-${randomUUID()}`;
/** What a React Native app installs besides xmpp-push (the example's push.ts says the same). */
const APP_DEPENDENCIES = {
  "@xmpp/client": "^0.14.0",
  "@babel/runtime": "^7.25.0",
  "react-native-get-random-values": "^2.0.0",
  "react-native-random-uuid": "^0.1.4",
  // Only for its types here: the bundle gets a stand-in (its storage is native code).
  "@react-native-async-storage/async-storage": "^3.1.0",
};

/** AsyncStorage's own types against the store's: the default export and v3's createAsyncStorage(). */
const STORE_TYPES = `
import AsyncStorage, { createAsyncStorage } from "@react-native-async-storage/async-storage";
import { AsyncStorageStore } from "xmpp-push/async-storage";
new AsyncStorageStore(AsyncStorage);
new AsyncStorageStore(createAsyncStorage("xmpp-push"), { prefix: "registration:" });
`;

interface VmSession {
  xmpp: { stop(): Promise<unknown> };
  registration: Registration;
}
interface PushApp {
  startPush(account: Record<string, string>): Promise<VmSession>;
  nextMessage(xmpp: VmSession["xmpp"]): Promise<{ from: string; body: string }>;
}

/** `promise`, or a rejection naming `what` after `ms` milliseconds. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The app's native side: the modules its JavaScript reaches through __turboModuleProxy, and AsyncStorage's disk. */
function nativeSide() {
  const disk = new Map<string, string>();
  const randomBytesGiven: number[] = [];
  const modules: Record<string, object> = {
    RNGetRandomValues: {
      getRandomBase64: (length: number) => {
        randomBytesGiven.push(length);
        return randomBytes(length).toString("base64");
      },
    },
    RandomUuid: { getRandomUuid: () => randomUUID() },
    RNFBMessagingModule: { getToken: () => FCM_TOKEN, getAPNSToken: () => null, onTokenRefresh: () => () => undefined },
    RNAsyncStorage: {
      get: (key: string) => disk.get(key) ?? null,
      set: (key: string, value: string) => void disk.set(key, value),
      remove: (key: string) => void disk.delete(key),
      keys: () => [...disk.keys()],
    },
  };
  return { disk, modules, randomBytesGiven };
}

describe("React Native: a Metro bundle of the SDK, @xmpp/client and the AsyncStorage store, in React Native's globals", () => {
  let project: ConsumerProject;
  let bundle: string;
  let bundleWithoutRandomValues: string;
  let server: XmppServer;
  let appServer: AppServer;
  let listener: XmppListener;
  let tls: TlsTerminator;
  /** wss://: over ws:// @xmpp/client in React Native refuses PLAIN even on loopback (see the README). */
  let service: string;
  let build: (out: string, omit?: string[], entry?: string) => Promise<string>;
  const contexts: ReactNativeContext[] = [];
  /** A fresh context, as a new app process on the phone: the bundle runs from its first line. */
  const launch = (code: string, native: ReturnType<typeof nativeSide>) => {
    const context = reactNativeContext(native.modules, { trust: TEST_CERTIFICATE });
    contexts.push(context);
    context.run(code, "index.bundle.js");
    return { context, app: context.global<PushApp>("pushApp") };
  };
  const account = (username: string) => ({ service, domain: DOMAIN, username, password: "pw", appServer: APP_SERVER });

  beforeAll(async () => {
    project = await createProject("react-native", {
      dependencies: APP_DEPENDENCIES,
      // The polyfills' peer is react-native itself, which cannot run here: not installed.
      npmrc: ["legacy-peer-deps=true"],
      tools: ["metro", "@react-native/metro-config", "typescript"],
    });
    // An app's package.json is CommonJS (metro.config.js uses module.exports).
    const manifest = JSON.parse(await readFile(join(project.dir, "package.json"), "utf8")) as Record<string, unknown>;
    delete manifest.type;
    await writeFile(join(project.dir, "package.json"), JSON.stringify(manifest, null, 2));
    for (const file of ["polyfills.js", "push.ts", "metro.config.js"]) await cp(join(repoRoot, "examples/react-native", file), join(project.dir, file));
    await cp(join(repoRoot, "test/consumer/react-native"), project.dir, { recursive: true });

    await cp(join(repoRoot, "examples/bundlers/src"), join(project.dir, "tiny-app"), { recursive: true });

    build = async (out: string, omit: string[] = [], entry = "entry.js") => {
      const args = ["node_modules/metro/src/cli.js", "build", entry, "--config", "metro.test.config.js"];
      await project.exec("node", [...args, "--platform", "android", "--dev", "false", "--minify", "true", "--max-workers", "1", "--out", out], {
        env: { OMIT_MODULES: omit.join(",") },
      });
      return readFile(join(project.dir, out), "utf8");
    };
    bundle = await build("app.bundle.js");
    bundleWithoutRandomValues = await build("no-random-values.bundle.js", ["react-native-get-random-values"]);

    server = createXmppServer({ domain: DOMAIN, users: { alice: "pw", bob: "pw", carol: "pw" } });
    appServer = createAppServer({ jid: APP_SERVER });
    server.attach(appServer);
    listener = await listenWebSocket(server);
    tls = await terminateTls(listener.port);
    service = `wss://127.0.0.1:${tls.port}/xmpp-websocket`;
  });

  afterEach(() => {
    for (const context of contexts.splice(0)) context.dispose();
  });

  afterAll(async () => {
    await tls?.close();
    await listener?.close();
    await server?.close();
    await project?.remove();
  });

  it("the example's metro.config.js keeps React Native's resolver defaults: the react-native condition and package.json fields", async () => {
    const script = "const { resolver } = require('./metro.config.js'); console.log(JSON.stringify([resolver.unstable_conditionNames, resolver.resolverMainFields]))";
    const { stdout } = await project.exec("node", ["-e", script]);
    expect(JSON.parse(stdout)).toEqual([["react-native"], ["react-native", "browser", "main"]]);
  });

  it("the README shows the example's metro.config.js as it is", async () => {
    const config = await readFile(join(repoRoot, "examples/react-native/metro.config.js"), "utf8");
    const code = config.replace(/^(\/\/.*\n)+/, "");
    expect(await readFile(join(repoRoot, "README.md"), "utf8")).toContain(code);
  });

  it("builds the tiny app of examples/bundlers (PushClient + @xmpp/client, and its xmpp-push/sw service worker) with the same config", async () => {
    for (const file of ["app.js", "sw.js"]) {
      const output = await build(`tiny-${file}`, [], `tiny-app/${file}`);
      expect(output).toMatch(/^var __BUNDLE_START_TIME__/);
      expect(output).not.toMatch(/node:dns/);
      console.log(`Metro, tiny app ${file}: ${(gzipSync(output, { level: 9 }).length / 1024).toFixed(2)} kB min+gzip`);
    }
  });

  it("is one Metro bundle for the react-native platform, with no node:dns left in it; its size is reported", () => {
    expect(bundle).toMatch(/^var __BUNDLE_START_TIME__/);
    expect(bundle).not.toMatch(/node:dns/);
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    console.log(`React Native app bundle (Metro, --minify, SDK + @xmpp/client + AsyncStorageStore + polyfills): ${(bundle.length / 1024).toFixed(1)} kB min, ${(gzipped / 1024).toFixed(1)} kB min+gzip`);
  });

  it("AsyncStorage's own types (v3: the default export, createAsyncStorage()) fit AsyncStorageStore", async () => {
    await project.write("store-types.ts", STORE_TYPES);
    // skipLibCheck: AsyncStorage's declarations import react-native's, which is not installed.
    const args = ["--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "store-types.ts"];
    await project.exec("node", ["node_modules/typescript/bin/tsc", ...args]);
  });

  it("the context holds exactly React Native's globals before the bundle runs: no crypto, process, Buffer, TextDecoder, structuredClone", () => {
    const context = reactNativeContext({});
    contexts.push(context);
    const names = context.globalNames();
    expect(names).toEqual(expectedGlobalNames());
    for (const absent of ["crypto", "process", "Buffer", "TextDecoder", "structuredClone", "require", "module", "console", "fetch"]) expect(names).not.toContain(absent);
  });

  it("register → enable → offline message → push delivery, and on the next launch the registration comes from AsyncStorage and the message arrives", async () => {
    const native = nativeSide();
    const login = account("bob");

    const first = launch(bundle, native);
    expect(first.context.global<{ getRandomValues?: unknown }>("crypto").getRandomValues).toBeTypeOf("function");
    const session = await within(first.app.startPush(login), 10_000, "login and subscribe");
    const { registration } = session;
    expect(registration).toMatchObject({ account: "bob@example.test", appServer: APP_SERVER, provider: "fcm", token: FCM_TOKEN });
    // The device id's 128 bits came through the polyfill from the native module.
    expect(native.randomBytesGiven).toContain(16);
    expect(appServer.registrations("bob@example.test")).toEqual([expect.objectContaining({ token: FCM_TOKEN, node: registration.node })]);
    expect(server.registrations("bob")).toEqual([expect.objectContaining({ jid: registration.jid, node: registration.node })]);
    expect(JSON.parse(native.disk.get(`xmpp-push:registration:${registration.id}`) ?? "null")).toMatchObject({ node: registration.node, token: FCM_TOKEN });

    await session.xmpp.stop();
    await waitFor(() => server.resources("bob").length === 0, 3000, "bob's session to end");

    const alice = server.client({ username: "alice", password: "pw", resource: "laptop" });
    await alice.start();
    const delivered = new Promise<Delivery>((resolve) => appServer.once("delivered", resolve));
    await alice.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "are you there?")));
    const delivery = await within(delivered, 5_000, "push delivery");
    expect(delivery).toMatchObject({ provider: "fcm", token: FCM_TOKEN, node: registration.node });
    await alice.stop();

    // The app is started again (a new process, the same disk).
    const second = launch(bundle, native);
    const again = await within(second.app.startPush(login), 10_000, "login and re-enable");
    expect(again.registration.node).toBe(registration.node);
    expect(again.registration.deviceId).toBe(registration.deviceId);
    expect(appServer.registrations("bob@example.test")).toHaveLength(1);
    expect(await within(second.app.nextMessage(again.xmpp), 5_000, "the offline message")).toEqual({ from: expect.stringMatching(/^alice@example\.test\//), body: "are you there?" });
    await again.xmpp.stop();
  });

  it("without react-native-get-random-values, subscribe rejects with PushError('not-supported') naming it, and nothing is registered or stored", async () => {
    const native = nativeSide();
    const { context, app } = launch(bundleWithoutRandomValues, native);
    // react-native-random-uuid made a `crypto` object; nothing gave it getRandomValues.
    expect(context.global<{ getRandomValues?: unknown }>("crypto").getRandomValues).toBeUndefined();

    const error = await within(app.startPush(account("carol")), 10_000, "login and subscribe").then(
        () => undefined,
        (rejection: { name?: string; condition?: string; message?: string }) => rejection,
      );
    expect(error).toMatchObject({ name: "PushError", condition: "not-supported" });
    expect(error?.message).toMatch(/crypto\.getRandomValues .*react-native-get-random-values/);
    expect(appServer.registrations("carol@example.test")).toEqual([]);
    expect(server.registrations("carol")).toEqual([]);
    expect(native.disk.size).toBe(0);
  });
});
