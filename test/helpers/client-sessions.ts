import { type Client, xml } from "@xmpp/client";
import { type Element, NS } from "../../src/protocol/index.js";
import type { XmppServer } from "../../src/sim/index.js";
import { DOMAIN } from "./chain.js";

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

export interface ClientSessions {
  /** A client for `username` with recorders attached before it connects; not started. */
  open(username: string, resource: string, password?: string): Login;
  /** A client for `username` (password "pw"), recorded and started. */
  login(username: string, resource: string): Promise<Login>;
  /** Leaves a client out of `stopAll`: one that never connected has nothing to stop. */
  forget(xmpp: Client): void;
  /** Stops every client opened and not forgotten, without letting any reconnect. */
  stopAll(): Promise<void>;
}

/** Opens clients on the server `server()` returns at call time (each test makes its own), and stops them all at the end. */
export function clientSessions(server: () => XmppServer): ClientSessions {
  let opened: Client[] = [];

  function open(username: string, resource: string, password = "pw"): Login {
    const xmpp = server().client({ username, password, resource });
    const login: Login = { xmpp, stanzas: [], errors: [], statuses: [] };
    xmpp.on("stanza", (stanza) => login.stanzas.push(stanza));
    xmpp.on("error", (error) => login.errors.push(error as Login["errors"][number]));
    xmpp.on("status", (status) => login.statuses.push(status));
    opened.push(xmpp);
    return login;
  }

  return {
    open,
    async login(username, resource) {
      const session = open(username, resource);
      await session.xmpp.start();
      return session;
    },
    forget(xmpp) {
      opened = opened.filter((other) => other !== xmpp);
    },
    async stopAll() {
      for (const xmpp of opened) xmpp.reconnect.stop();
      await Promise.all(opened.map((xmpp) => (xmpp.status === "offline" ? undefined : xmpp.stop().catch(() => undefined))));
      opened = [];
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
