import { type Client, xml } from "@xmpp/client";
import { afterEach } from "vitest";
import { type Element, NS } from "../../src/protocol/index.js";
import { type Chain, createChain, DOMAIN } from "./chain.js";
import { asClient } from "./real-client.js";

/** A client of the reference server and everything it went through, recorded from before it connects. */
export interface Login {
  xmpp: Client;
  /** Every stanza the client received, from before `start()`. */
  stanzas: Element[];
  /** Every `error` event of the client (stream errors, SASL failures). */
  errors: Array<Error & { condition?: string }>;
  /** Every status the client went through. */
  statuses: string[];
}

export interface ChainSessions {
  /** Creates the running test's chain, which the clients below connect to. */
  startChain(options?: Parameters<typeof createChain>[0]): Chain;
  /** A client for `username` with recorders attached before it connects; not started. */
  open(username: string, resource: string, password?: string): Login;
  /** A client for `username` (password "pw"), recorded and started. */
  login(username: string, resource: string): Promise<Login>;
  /** Leaves a client out of the clean-up: one that never connected has nothing to stop. */
  forget(xmpp: Client): void;
}

/**
 * For test files whose tests each start a chain and open clients on it. `chain.close()` stops
 * only the clients of `chain.connect`, so after each test the ones opened here are stopped
 * first, with reconnecting off, and then the chain is closed.
 */
export function useChainSessions(): ChainSessions {
  let chain: Chain | undefined;
  let opened: Client[] = [];

  afterEach(async () => {
    for (const xmpp of opened) xmpp.reconnect.stop();
    await Promise.all(opened.map((xmpp) => (xmpp.status === "offline" ? undefined : xmpp.stop().catch(() => undefined))));
    opened = [];
    await chain?.close();
    chain = undefined;
  });

  function open(username: string, resource: string, password = "pw"): Login {
    if (!chain) throw new Error("startChain() before opening clients");
    const xmpp = asClient(chain.server.client({ username, password, resource }));
    const login: Login = { xmpp, stanzas: [], errors: [], statuses: [] };
    xmpp.on("stanza", (stanza) => login.stanzas.push(stanza));
    xmpp.on("error", (error) => login.errors.push(error as Login["errors"][number]));
    xmpp.on("status", (status) => login.statuses.push(status));
    opened.push(xmpp);
    return login;
  }

  return {
    startChain(options) {
      chain = createChain(options);
      return chain;
    },
    open,
    async login(username, resource) {
      const session = open(username, resource);
      await session.xmpp.start();
      return session;
    },
    forget(xmpp) {
      opened = opened.filter((other) => other !== xmpp);
    },
  };
}

/** The messages among the stanzas a client received. */
export function messages(session: Login): Element[] {
  return session.stanzas.filter((stanza) => stanza.name === "message");
}

/** A round trip to the server: everything the server sent this client before the answer has arrived. */
export async function sync(xmpp: Client): Promise<void> {
  await xmpp.iqCaller.request(xml("iq", { type: "get", to: DOMAIN }, xml("ping", { xmlns: NS.ping })));
}
