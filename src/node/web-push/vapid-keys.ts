import { PushError } from "../../protocol/index.js";
import { optionalPeer } from "../optional-peer.js";
import type { VapidDetails } from "./types.js";

/** A fresh VAPID key pair, base64url (web-push's `generateVAPIDKeys`). */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = optionalPeer("web-push", "generateVapidKeys()").generateVAPIDKeys();
  return { publicKey, privateKey };
}

/** Refuses bad VAPID details when the provider is made, not at the first push. */
export function checkVapidDetails(vapid: VapidDetails): void {
  if (!/^(mailto:|https:)/.test(vapid.subject)) throw new PushError("bad-request", "the VAPID subject must be a mailto: or https: URI (RFC 8292 §2.1)");
  if (byteLength(vapid.publicKey) !== 65) throw new PushError("bad-request", "the VAPID public key must be base64url of a 65-byte uncompressed P-256 point");
  if (byteLength(vapid.privateKey) !== 32) throw new PushError("bad-request", "the VAPID private key must be base64url of 32 bytes");
}

function byteLength(base64url: string): number | undefined {
  return /^[A-Za-z0-9_-]+$/.test(base64url) ? Buffer.from(base64url, "base64url").length : undefined;
}
