import { afterEach, beforeAll } from "vitest";
import type { SimulatedClient, XmppServer } from "../../../src/sim/index.js";
import { type Push2Device, push2Device } from "../../helpers/push2-device.js";

export interface Push2Fixture {
  /** The browser-side device, its keys made once per file. */
  readonly device: () => Push2Device;
  /** The server under test: closed after each test. */
  serve(server: XmppServer): XmppServer;
  /** A client (password "pw", resource "phone" unless named) of the served server, stopped after each test. */
  client(username: string, options?: { resource?: string; userAgent?: { id: string } }): SimulatedClient;
  /** The same, started. */
  online(username: string, resource: string): Promise<SimulatedClient>;
}

/** What each Push 2.0 test file sets up and takes down the same way: one device, a server per test and its clients. */
export function push2Fixture(): Push2Fixture {
  let device: Push2Device | undefined;
  let server: XmppServer | undefined;
  const clients: SimulatedClient[] = [];
  beforeAll(async () => {
    device = await push2Device();
  });
  afterEach(async () => {
    for (const xmpp of clients.splice(0)) if (xmpp.status === "online") await xmpp.stop();
    await server?.close();
    server = undefined;
  });
  const client: Push2Fixture["client"] = (username, options = {}) => {
    if (!server) throw new Error("serve() a server first");
    const xmpp = server.client({ username, password: "pw", resource: options.resource ?? "phone", userAgent: options.userAgent });
    xmpp.on("error", () => {});
    xmpp.reconnect.stop();
    clients.push(xmpp);
    return xmpp;
  };
  return {
    device: () => device!,
    serve: (served) => (server = served),
    client,
    online: async (username, resource) => {
      const xmpp = client(username, { resource });
      await xmpp.start();
      return xmpp;
    },
  };
}
