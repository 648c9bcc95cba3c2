import type { Client } from "@xmpp/client";
import type { XmppServer } from "../../src/sim/index.js";
import { nextEvent, waitFor } from "./chain.js";
import { cutSocket } from "./client-socket.js";
import { asClient } from "./real-client.js";

/** Real @xmpp/client instances with XEP-0198 on (password "pw"), stopped by `stopAll`. */
export class ManagedClients {
  readonly #clients: Client[] = [];

  async connect(server: XmppServer, username: string, resource: string): Promise<Client> {
    const xmpp = asClient(server.client({ username, password: "pw", resource }));
    xmpp.on("error", () => {});
    this.#clients.push(xmpp);
    await xmpp.start();
    await waitFor(() => xmpp.streamManagement.enabled, 3000, "stream management on");
    return xmpp;
  }

  /** Stops `xmpp` with the others, for a client a test starts itself. */
  track(xmpp: Client): void {
    this.#clients.push(xmpp);
  }

  async stopAll(): Promise<void> {
    for (const xmpp of this.#clients.splice(0)) {
      xmpp.reconnect.stop();
      // A client whose connection was dropped has nothing left to close (stop() would wait out its timeout).
      if (xmpp.status !== "offline" && xmpp.status !== "disconnect") await xmpp.stop().catch(() => undefined);
    }
  }
}

/**
 * Cuts the connection for good (no reconnect) and waits until the server has hibernated the
 * session and the client has seen its socket close (else a later `stop()` waits out its timeout).
 */
export async function dropConnection(server: XmppServer, xmpp: Client): Promise<void> {
  xmpp.reconnect.stop();
  const hibernated = nextEvent(server, "hibernated");
  const closed = new Promise<void>((resolve) => xmpp.once("disconnect", () => resolve()));
  cutSocket(xmpp);
  await Promise.all([hibernated, closed]);
}
