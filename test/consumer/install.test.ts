// An app installs the packed package as a user would, with npm and with pnpm (hoist=false, so
// every import must be a declared dependency), and the SDK-only app stays light: none of the
// simulators' Node stack, no Node types, and within a few packages of @xmpp/client's own tree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsumerProject, createProject } from "./support/project.js";

const CLIENT = { "@xmpp/client": "^0.14.0" };
const NODE_STACK = ["ws", "web-push", "@xmpp/component", "@types/node", "@types/xmpp__client", "@xmpp/debug"];
/** Packages the SDK may add to @xmpp/client's tree: xmpp-push, idb, saxes + xmlchars (the reference server's parser), @types/xmpp__xml + @types/ltx + @types/events (its public types). */
const OWN_ALLOWANCE = 7;

// The whole chain from the installed package, without any optional peer: SDK + in-memory simulators.
const CHAIN = `
import { PushClient } from "xmpp-push";
import { createAppServer, createXmppServer } from "xmpp-push/sim";
import { xml } from "@xmpp/client";
const server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" } });
const appServer = createAppServer({ jid: "push.example.test" });
server.attach(appServer);
const bob = server.client({ username: "bob", password: "pw", resource: "phone" });
await bob.start();
await new PushClient(bob).subscribe({ appServer: "push.example.test", provider: "fcm", token: "t-1" });
await bob.stop();
const alice = server.client({ username: "alice", password: "pw", resource: "laptop" });
await alice.start();
const delivered = new Promise((resolve) => appServer.once("delivered", resolve));
await alice.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "hi")));
const delivery = await delivered;
await alice.stop();
await server.close();
console.log("delivered to " + delivery.provider + " " + delivery.token);
`;

// sim/node imports without its optional peers; the first call that needs one names it.
const MISSING_PEER = `
import { listenWebSocket } from "xmpp-push/sim/node";
import { createXmppServer } from "xmpp-push/sim";
const server = createXmppServer({ domain: "example.test", users: {} });
try {
  const listener = await listenWebSocket(server);
  console.log("listened");
  await listener.close();
} catch (error) {
  console.log(error.name + " " + error.condition + ": " + error.message);
}
await server.close();
`;

const names = (packages: string[]): string[] => packages.map((entry) => entry.slice(0, entry.lastIndexOf("@")));

describe("installing the packed package", () => {
  const projects: ConsumerProject[] = [];
  let clientOnly: string[];

  beforeAll(async () => {
    const project = await createProject("client-only", { dependencies: CLIENT });
    projects.push(project);
    // The baseline: an app with @xmpp/client alone (the tarball is removed again).
    await project.exec("npm", ["uninstall", "xmpp-push", "--no-audit", "--no-fund", "--loglevel=error"]);
    clientOnly = await project.installedPackages();
  });
  afterAll(async () => {
    for (const project of projects) await project.remove();
  });

  it("with npm: an SDK-only app gets no Node stack, stays near @xmpp/client's own count, and runs the chain", async () => {
    const project = await createProject("npm", { dependencies: CLIENT, files: { "chain.mjs": CHAIN, "missing-peer.mjs": MISSING_PEER } });
    projects.push(project);
    const installed = await project.installedPackages();
    console.log(`npm: ${installed.length} packages with xmpp-push + @xmpp/client; @xmpp/client alone: ${clientOnly.length}`);
    expect(names(installed)).not.toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^(${NODE_STACK.join("|")})$`))]));
    for (const name of NODE_STACK) expect(names(installed)).not.toContain(name);
    expect(installed.length).toBeLessThanOrEqual(clientOnly.length + OWN_ALLOWANCE);
    expect((await project.exec("node", ["chain.mjs"])).stdout).toContain("delivered to fcm t-1");
    expect((await project.exec("node", ["missing-peer.mjs"])).stdout).toContain(
      'PushError not-supported: listenWebSocket() needs the package "ws", an optional peer dependency of xmpp-push: npm install ws',
    );
  });

  it("with pnpm and hoist=false: every import is a declared dependency", async () => {
    const project = await createProject("pnpm", {
      manager: "pnpm",
      npmrc: ["hoist=false", "public-hoist-pattern[]="],
      dependencies: CLIENT,
      files: { "chain.mjs": CHAIN },
    });
    projects.push(project);
    const installed = await project.installedPackages();
    console.log(`pnpm (hoist=false): ${installed.length} packages`);
    for (const name of NODE_STACK) expect(names(installed)).not.toContain(name);
    expect((await project.exec("node", ["chain.mjs"])).stdout).toContain("delivered to fcm t-1");
  });

  it("with the optional peers installed, sim/node listens", async () => {
    const project = await createProject("peers", { dependencies: { ...CLIENT, ws: "^8.18.0" }, files: { "missing-peer.mjs": MISSING_PEER } });
    projects.push(project);
    expect((await project.exec("node", ["missing-peer.mjs"])).stdout).toContain("listened");
  });
});
