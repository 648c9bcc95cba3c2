import type { xml } from "@xmpp/client";
import type { DeliverySource, WindowedRunOptions } from "./windowed-run.js";

/**
 * Calls `listener` with the bare JID each delivery was for, which answers with the body it matched
 * the delivery to (to check against the decrypted payload); returns how to stop.
 */
export type OwnerDeliverySource = (listener: (owner: string) => string | undefined) => () => void;

/**
 * For pushes whose body the benchmark cannot read (Tigase's ciphertext: only the phone holds the
 * key): each delivery for a user stands for the oldest message sent to that user and not yet
 * delivered. Wraps the sender to note, per recipient, the bodies (sequence numbers) sent, and
 * turns owner deliveries into those bodies for `windowedRun`. Exact while a user's pushes arrive
 * in the order sent (one in flight per user when the run has at least as many users as its window).
 */
export function matchByRecipient(
  sender: WindowedRunOptions["sender"],
  deliveries: OwnerDeliverySource,
): { sender: WindowedRunOptions["sender"]; deliveries: DeliverySource } {
  const waiting = new Map<string, string[]>();
  return {
    sender: {
      send(stanza: ReturnType<typeof xml>) {
        const to = String(stanza.attrs.to);
        const queue = waiting.get(to) ?? [];
        queue.push(stanza.getChildText("body") ?? "");
        waiting.set(to, queue);
        return sender.send(stanza);
      },
    },
    deliveries: (listener) =>
      deliveries((owner) => {
        const queue = waiting.get(owner);
        const body = queue?.shift();
        if (queue?.length === 0) waiting.delete(owner);
        listener(body);
        return body;
      }),
  };
}
