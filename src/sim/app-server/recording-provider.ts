import { DEFAULT_RECORD_LIMIT, keepLatest } from "../recent-records.js";
import type { Delivery, ProviderMessage, ProviderResult, PushProvider } from "./types.js";

/** The platforms the royneary mod_push app server speaks, plus `fcm` and `webpush`. */
export const DEFAULT_PROVIDERS = ["apns", "gcm", "fcm", "mozilla", "ubuntu", "wns", "webpush"] as const;

/** A provider that delivers nowhere and records the notifications it accepts. */
export interface RecordingProvider extends PushProvider {
  readonly name: string;
  /** From now on `send` reports `token` invalid instead of recording. */
  fail(token: string): void;
}

/**
 * A provider that records into `deliveries`, keeping the latest `limit` there (default 10 000; the
 * oldest are dropped, so a simulator running for days keeps a bounded record).
 */
export function createRecordingProvider(name: string, deliveries: Delivery[], now: () => number = Date.now, limit = DEFAULT_RECORD_LIMIT): RecordingProvider {
  const failedTokens = new Set<string>();
  return {
    name,
    fail(token) {
      failedTokens.add(token);
    },
    send(message) {
      if (failedTokens.has(message.token)) return Promise.resolve<ProviderResult>({ ok: false, reason: "token-invalid" });
      keepLatest(deliveries, deliveryOf(message, now()), limit);
      return Promise.resolve<ProviderResult>({ ok: true });
    },
  };
}

export function isRecordingProvider(provider: PushProvider): provider is RecordingProvider {
  return typeof (provider as Partial<RecordingProvider>).fail === "function";
}

export function deliveryOf(message: ProviderMessage, at: number): Delivery {
  const delivery: Delivery = {
    provider: message.provider,
    token: message.token,
    node: message.node,
    summary: message.summary,
    owner: message.registration.owner,
    deviceId: message.registration.deviceId,
    at,
  };
  if (message.encrypted) delivery.encrypted = message.encrypted;
  return delivery;
}
