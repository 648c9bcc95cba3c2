import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { type ComponentLink, ComponentLinkError, connectComponent } from "../../src/node/component/index.js";
import { type Element, NS } from "../../src/protocol/index.js";
import { type Component, createAppServer } from "../../src/sim/index.js";
import { type FakeComponentServer, startFakeComponentServer } from "../helpers/fake-component-server.js";
import { manualComponent } from "../helpers/manual-component.js";

/**
 * What reaches the app server simulator over `connectComponent` gets the reference server's
 * treatment: bad bytes end the link (which reconnects), never the process; a bad stanza gets
 * an error, and the link goes on for everyone else.
 */

const DOMAIN = "push.example.test";
const SECRET = "s3cret";
const FAST_RECONNECT = { minDelay: 20, maxDelay: 50, maxAttempts: 50 };

let server: FakeComponentServer | undefined;
let link: ComponentLink | undefined;
afterEach(async () => {
  await link?.close();
  await server?.close();
  link = undefined;
  server = undefined;
});

const isReplyTo = (id: string) => (stanza: Element) => stanza.is("iq") && stanza.attrs.id === id;
const ping = (id: string): Element => xml("iq", { type: "get", id, from: "example.test", to: DOMAIN }, xml("query", { xmlns: NS.discoInfo }));

async function linked(component: Component = createAppServer({ jid: DOMAIN })) {
  server = await startFakeComponentServer({ domain: DOMAIN, secret: SECRET });
  const connected = server.nextAuthenticated();
  const errors: ComponentLinkError[] = [];
  link = connectComponent(component, { service: server.service, domain: DOMAIN, password: SECRET, reconnect: FAST_RECONNECT });
  link.on("error", (error) => errors.push(error));
  await link.ready;
  return { connection: await connected, errors };
}

describe("connectComponent under hostile input from the server side", () => {
  it.each([
    ["an undefined entity", "<message from='a@example.test' to='push.example.test'><body>&x;</body></message>"],
    ["a NUL character reference", "<message from='a@example.test' to='push.example.test'><body>&#0;</body></message>"],
    ["a mismatched end tag", "<message from='a@example.test'></iq>"],
    ["a DOCTYPE", "<!DOCTYPE x [<!ENTITY a 'b'>]>"],
  ])("%s ends that stream, not the process; the link comes back and answers again", async (_title, garbage) => {
    const { connection, errors } = await linked();
    const reconnected = server!.nextAuthenticated();
    connection.send(garbage);
    const again = await reconnected;
    expect(errors.map((error) => error.code)).toContain("connection");
    const reply = again.next(isReplyTo("after"));
    again.send(ping("after"));
    expect((await reply).attrs.type).toBe("result");
  });

  it("a 10⁴-deep IQ gets policy-violation, and the link goes on", async () => {
    const { connection, errors } = await linked();
    const deep = `<iq type='get' id='deep' from='example.test' to='${DOMAIN}'><query xmlns='${NS.discoInfo}'>${"<a>".repeat(10_000)}${"</a>".repeat(10_000)}</query></iq>`;
    const refused = connection.next(isReplyTo("deep"));
    connection.send(deep);
    const answer = await refused;
    expect(answer.attrs.type).toBe("error");
    expect(answer.getChild("error")?.getChild("policy-violation", NS.stanzas)).toBeDefined();
    const reply = connection.next(isReplyTo("next"));
    connection.send(ping("next"));
    expect((await reply).attrs.type).toBe("result");
    expect(errors).toEqual([]);
  });

  it("a component that throws loses that stanza with an error event; the next one gets through", async () => {
    const component = manualComponent(DOMAIN);
    const receive = component.receive.bind(component);
    let throwing = true;
    component.receive = (stanza) => {
      if (throwing) {
        throwing = false;
        throw new Error("component bug");
      }
      receive(stanza);
    };
    const { connection, errors } = await linked(component);
    connection.send(xml("message", { from: "bob@example.test", to: DOMAIN }, xml("body", {}, "first")));
    connection.send(xml("message", { from: "bob@example.test", to: DOMAIN }, xml("body", {}, "second")));
    await expect.poll(() => component.received.map((stanza) => stanza.getChildText("body"))).toEqual(["second"]);
    expect(errors.map((error) => [error.code, error.message])).toEqual([["component", `${DOMAIN} failed on a stanza: component bug`]]);
  });
});
