// Run by Deno with no permission flags in a consumer project (test/consumer/deno.test.ts): the
// whole chain in memory from the installed package, traced, then a line the test reads.
import { xml } from "@xmpp/client";
import { PushClient, trace, type TraceEvent } from "xmpp-push";
import { createAppServer, createXmppServer } from "xmpp-push/sim";

function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const server = createXmppServer({ domain: "example.test", users: { alice: "alice-pw", bob: "bob-pw" } });
const appServer = createAppServer({ jid: "push.example.test" });
server.attach(appServer);

const traced: TraceEvent[] = [];
const phone = server.client({ username: "bob", password: "bob-pw", resource: "phone" });
trace(phone, (event) => traced.push(event));
await within(phone.start(), "bob online");
const registration = await within(new PushClient(phone).subscribe({ appServer: "push.example.test", provider: "fcm", token: "fcm-deno-token" }), "subscribe");
await within(phone.stop(), "bob offline");

const laptop = server.client({ username: "alice", password: "alice-pw", resource: "laptop" });
await within(laptop.start(), "alice online");
const delivered = within(new Promise<{ provider: string; token: string }>((resolve) => appServer.once("delivered", resolve)), "delivery");
await laptop.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "Dinner at 8?")));
const delivery = await delivered;
await within(laptop.stop(), "alice offline");
await server.close();

const texts = traced.map((event) => event.text).join("\n");
const secrets = texts.includes(btoa("\0bob\0bob-pw")) || texts.includes(registration.secret ?? "no secret") ? "shown" : "hidden";
// What @xmpp/debug does to a client it traces; here it must fail, so that tracing above proves it needs no env access.
let env = "readable";
try {
  void process.env.XMPP_DEBUG;
} catch (error) {
  env = `denied (${(error as Error).name})`;
}
console.log(`chain: ${appServer.deliveries.length} delivery, ${delivery.provider} token ${delivery.token}; trace: ${traced.length} events, secrets ${secrets}; env ${env}`);
