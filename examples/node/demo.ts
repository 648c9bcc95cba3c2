/**
 * The whole push chain in one process, printing each hop:
 * bob's phone registers at the app server and enables push at his XMPP server, goes offline;
 * alice writes to him; his server publishes a notification; the app server hands it to the
 * (recording) FCM provider. Run: npm run demo  (`npm run demo -- --trace` shows every stanza).
 */
import { xml } from "@xmpp/client";
import { PushClient, trace } from "xmpp-push";
import { createAppServer, createXmppServer, type SimulatedClient } from "xmpp-push/sim";

const withBody = process.argv.includes("--with-body");
const tracing = process.argv.includes("--trace");
const log = (who: string, what: string): void => console.log(`  ${who.padEnd(14)} ${what}`);
const short = (value: string): string => (value.length > 12 ? `${value.slice(0, 8)}…` : value);

function connect(xmpp: SimulatedClient): SimulatedClient {
  if (tracing) trace(xmpp);
  xmpp.on("error", (error) => console.error("xmpp error:", error.message));
  return xmpp;
}

console.log("\nxmpp-push demo: the whole chain in one process\n");

const server = createXmppServer({
  domain: "example.test",
  users: { alice: "alice-pw", bob: "bob-pw" },
  push: { includeBody: withBody, includeSender: withBody },
});
const appServer = createAppServer({ jid: "push.example.test" });
server.attach(appServer);
log("XMPP server", `example.test up (reference server; body and sender in pushes: ${withBody ? "on" : "off, the private default"})`);
log("app server", "push.example.test attached (royneary mod_push commands; recording FCM, APNS, Web Push… providers)");

server.on("enabled", (registration) => log("XMPP server", `push enabled for ${registration.account} → ${registration.jid} node ${short(registration.node)}`));
server.on("stored", (account, message) => log("XMPP server", `${account} has no available session: message from ${message.attrs.from} stored offline`));
server.on("published", (registration, publish) => {
  const count = publish.getChild("pubsub")?.getChild("publish")?.getChild("item")?.getChild("notification")?.getChild("x");
  const fields = count?.getChildren("field").filter((field) => field.attrs.var !== "FORM_TYPE").map((field) => `${field.attrs.var}=${field.getChildText("value")}`);
  log("XMPP server", `publish → ${registration.jid} node ${short(registration.node)} [${fields?.join(", ")}] + publish-options (secret)`);
});
appServer.on("delivered", (delivery) => log("app server", `secret ok → ${delivery.provider.toUpperCase()} provider, token ${delivery.token}, summary ${JSON.stringify(delivery.summary)}`));
server.on("publish-result", (registration) => log("XMPP server", `${registration.jid} acknowledged the publish`));

const phone = connect(server.client({ username: "bob", password: "bob-pw", resource: "phone" }));
await phone.start();
log("bob's phone", `online as ${phone.jid?.toString()}`);

const push = new PushClient(phone);
let reconnected = false;
push.on("registered", (registration) =>
  log("app server", `register-push-${registration.provider} done: node ${short(registration.node)}, secret ${short(registration.secret ?? "none")}`),
);
push.on("enabled", () => reconnected && log("bob's phone", "fresh session: the SDK re-enabled its stored registration"));
log("bob's phone", `disco#info on bob@example.test: push ${(await push.isSupported()) ? "supported (urn:xmpp:push:0)" : "NOT supported"}`);
const info = await push.discover("push.example.test");
log("bob's phone", `app server speaks ${info.dialect}; providers: ${info.providers.join(", ")}`);

const registration = await push.subscribe({ appServer: "push.example.test", provider: "fcm", token: "fcm-demo-token-b0b", deviceName: "Bob's phone" });
log("bob's phone", `subscribed: registration ${short(registration.node)} enabled and stored locally`);

await phone.stop();
log("bob's phone", "offline (app closed)");

const laptop = connect(server.client({ username: "alice", password: "alice-pw", resource: "laptop" }));
await laptop.start();
log("alice", `online as ${laptop.jid?.toString()}, sends bob "Dinner at 8?"`);
const delivered = new Promise((resolve) => appServer.once("delivered", resolve));
await laptop.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "Dinner at 8?")));
await delivered;
await new Promise((resolve) => setTimeout(resolve, 20));

const received = new Promise<string>((resolve) =>
  phone.on("stanza", (stanza) => {
    if (stanza.is("message")) resolve(stanza.getChildText("body") ?? "");
  }),
);
reconnected = true;
await phone.start();
await phone.send(xml("presence"));
log("bob's phone", `back online (woken by the push): offline message "${await received}"`);

await push.unsubscribe();
log("bob's phone", `unsubscribed: ${server.registrations("bob").length} registrations at the XMPP server, ${appServer.registrations().length} at the app server`);

await Promise.all([phone.stop(), laptop.stop()]);
await server.close();
console.log(`\n  ${appServer.deliveries.length} delivery through the chain. Try --with-body, or --trace for every stanza.\n`);
