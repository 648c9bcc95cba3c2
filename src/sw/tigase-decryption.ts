import { PushError } from "../protocol/push-error.js";
import type { PushPayload } from "../protocol/push-payload.js";
import { decryptTigasePayload, type EncryptionKeyHolder, type TigaseNotification } from "../protocol/tigase-notification.js";

export interface TigaseDecryptionOptions {
  /**
   * The registration whose key opens this payload, found by `payload.node` — e.g. among the
   * `IdbStore`'s registrations, which the page's `subscribe({ tigase: { encrypt: true } })` kept.
   */
  registrationFor(payload: PushPayload): Promise<EncryptionKeyHolder | undefined> | EncryptionKeyHolder | undefined;
  /**
   * Told when a push could not be decrypted: no registration or key (`bad-request`); wrong key,
   * damaged, not Tigase's JSON (`bad-response`); `registrationFor` failed (`storage`). The
   * generic notification is shown instead, never a partial or garbled text.
   */
  onError?(error: PushError, payload: PushPayload): void;
}

/**
 * The `decrypt` option of `handlePush` for Tigase-encrypted pushes (T12, T13): AES-128-GCM with
 * the registration's key, through Web Crypto. Resolves with the plaintext, or with undefined
 * (after `onError`) when there is none to be had; it never rejects.
 */
export function tigaseDecryption(options: TigaseDecryptionOptions): (payload: PushPayload) => Promise<TigaseNotification | undefined> {
  return async (payload) => {
    try {
      let registration: EncryptionKeyHolder | undefined;
      try {
        registration = await options.registrationFor(payload);
      } catch (error) {
        throw error instanceof PushError ? error : new PushError("storage", "registrationFor failed", { cause: error });
      }
      if (!payload.encrypted) throw new PushError("bad-request", "the payload is not encrypted");
      return await decryptTigasePayload(registration ?? {}, payload.encrypted);
    } catch (error) {
      options.onError?.(error as PushError, payload);
      return undefined;
    }
  };
}
