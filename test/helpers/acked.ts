import type { Client } from "@xmpp/client";
import type { XmppServer, XmppServerEvents } from "../../src/sim/index.js";
import { record, waitFor } from "./chain.js";

/**
 * Starts recording the server's `acked` events; the function returned waits until the server has
 * taken in an `<a/>` from `xmpp` whose `h` is the client's count at that moment, that is, an ack
 * of every stanza the client has counted so far (its count only grows, so no earlier ack has that
 * `h`). Call it once what the test waits to be acknowledged has reached the client; it resolves
 * with that event (`[jid, h, unacknowledged]`).
 */
export function watchAcks(server: XmppServer, xmpp: Client): () => Promise<XmppServerEvents["acked"]> {
  const acks = record(server, "acked");
  const match = () => acks.find(([jid, h]) => jid === xmpp.jid?.toString() && h === xmpp.streamManagement.inbound);
  return async () => {
    await waitFor(() => match() !== undefined, 3000, "the server to take in the client's ack");
    return match()!;
  };
}

/**
 * The client stops sending `<a/>`: a dead network the server has not noticed yet. (A middleware
 * filter cannot do it: @xmpp/client runs its outgoing middleware after the element is written.)
 */
export function withholdAcks(xmpp: Client): void {
  const send = xmpp.send.bind(xmpp);
  xmpp.send = (element) => (element.is("a", "urn:xmpp:sm:3") ? Promise.resolve() : send(element));
}
