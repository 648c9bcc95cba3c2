// Loads the built package the way users will — ESM import and CommonJS require, by package
// name through the exports map — and runs one login against the simulator from each.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const esm = { core: await import("xmpp-push"), sim: await import("xmpp-push/sim") };
const cjs = { core: require("xmpp-push"), sim: require("xmpp-push/sim") };

for (const [format, { core, sim }] of Object.entries({ esm, cjs })) {
  const enable = core.buildEnable({ jid: "push.example.test", node: "n1", publishOptions: { secret: "s" } }).toString();
  if (!enable.includes('node="n1"') || typeof core.PushClient !== "function") throw new Error(`${format}: core entry is broken`);
  const server = sim.createXmppServer({ domain: "example.test", users: { bob: "pw" } });
  server.attach(sim.createAppServer({ jid: "push.example.test" }));
  const xmpp = server.client({ username: "bob", password: "pw", resource: "dist" });
  await xmpp.start();
  const push = new core.PushClient(xmpp);
  const registration = await push.subscribe({ appServer: "push.example.test", provider: "fcm", token: "t" });
  if (server.registrations("bob")[0]?.node !== registration.node) throw new Error(`${format}: subscribe did not enable`);
  await xmpp.stop();
  await server.close();
  console.log(`dist ${format}: ok (subscribe through the built package)`);
}
