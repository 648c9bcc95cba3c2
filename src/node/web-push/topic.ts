import { createHash } from "node:crypto";

/** RFC 8030 §5.4: at most 32 characters of the base64url alphabet. */
const MAX_TOPIC_LENGTH = 32;

/**
 * The `Topic` for a registration's notifications, so a newer one replaces a pending older one:
 * a hash of the node fits the 32-character limit whatever the node looks like, and does not
 * show the push service which pubsub node it belongs to.
 */
export function topicForNode(node: string): string {
  return createHash("sha256").update(node).digest("base64url").slice(0, MAX_TOPIC_LENGTH);
}
