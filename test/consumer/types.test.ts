// A TypeScript app compiles against the installed package's types with skipLibCheck off under
// every moduleResolution people use: bundler, node16 (ESM and CommonJS) and node10 (through
// typesVersions) — in a browser-like project that has neither @types/node nor @types/xmpp__client.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ConsumerProject, createProject } from "./support/project.js";

const USES = `
const store = new MemoryStore();
const push: PushClient | undefined = undefined;
const idb: typeof IdbStore = IdbStore;
const subscribe: typeof subscribeWebPush = subscribeWebPush;
const phoneStore: RegistrationStore = new AsyncStorageStore({ getItem: async () => null, setItem: async () => undefined, removeItem: async () => undefined, getAllKeys: async () => [] });
const data: XmppPushNotificationData | undefined = undefined;
const server = createXmppServer({ domain: "example.test", users: { bob: "pw" } });
const client: SimulatedClient = server.client({ username: "bob", password: "pw", resource: "r" });
const plugin: WebpackPluginLike = webpackPlugin();
void [store, push, idb, subscribe, phoneStore, data, handlePush, client, plugin];
`;
const ESM = `import { MemoryStore, type PushClient, type RegistrationStore } from "xmpp-push";
import { IdbStore } from "xmpp-push/idb";
import { AsyncStorageStore } from "xmpp-push/async-storage";
import { subscribeWebPush } from "xmpp-push/web";
import { handlePush, type XmppPushNotificationData } from "xmpp-push/sw";
import { createXmppServer, type SimulatedClient } from "xmpp-push/sim";
import { webpackPlugin, type WebpackPluginLike } from "xmpp-push/bundler";
${USES}`;

const compilerOptions = (extra: Record<string, unknown>) => ({
  compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ["es2022", "dom", "dom.iterable"], target: "es2022", ...extra },
});

const MODES = {
  bundler: { file: "check.ts", options: { module: "esnext", moduleResolution: "bundler" } },
  "node16 ESM": { file: "check.ts", options: { module: "node16", moduleResolution: "node16" } },
  "node16 CommonJS": { file: "check.cts", options: { module: "node16", moduleResolution: "node16" } },
  node10: { file: "check-node10.ts", options: { module: "commonjs", moduleResolution: "node10" } },
} as const;

let project: ConsumerProject;

beforeAll(async () => {
  const files: Record<string, string> = { "check.ts": ESM, "check.cts": ESM, "check-node10.ts": ESM };
  for (const [mode, { file, options }] of Object.entries(MODES)) {
    files[`tsconfig.${mode.replace(" ", "-")}.json`] = JSON.stringify({ ...compilerOptions(options), files: [file] });
  }
  project = await createProject("types", { dependencies: { "@xmpp/client": "^0.14.0" }, files, tools: ["typescript"] });
});
afterAll(() => project?.remove());

it("installs no Node or @xmpp/client type packages", async () => {
  const installed = await project.installedPackages();
  expect(installed.filter((entry) => /^@types\/(node|xmpp__client)@/.test(entry))).toEqual([]);
});

it.each(Object.keys(MODES))("compiles under moduleResolution %s with skipLibCheck: false", async (mode) => {
  const result = await project.exec("node", ["node_modules/typescript/bin/tsc", "-p", `tsconfig.${mode.replace(" ", "-")}.json`]);
  expect(result.stdout + result.stderr).toBe("");
});
