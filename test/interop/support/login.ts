import { type Client, xml } from "@xmpp/client";
import type { CredentialsFactory } from "@xmpp/sasl2";
import { PASSWORD } from "../shared.js";

/**
 * SASL PLAIN (the WebSocket is on loopback, which @xmpp/websocket counts as secure): the default
 * SCRAM-SHA-1 login took about 1.2 s against Prosody here, and the suite logs in a hundred times.
 */
export function plainLogin(username: string, password = PASSWORD): CredentialsFactory<Client> {
  return (authenticate, mechanisms) =>
    authenticate({ username, password }, mechanisms.includes("PLAIN") ? "PLAIN" : (mechanisms[0] ?? "PLAIN"), xml("user-agent"));
}
