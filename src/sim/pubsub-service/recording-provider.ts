import type { ProviderResult } from "../app-server/types.js";
import { DEFAULT_RECORD_LIMIT, keepLatest } from "../recent-records.js";
import type { PubsubDelivery, PubsubProvider } from "./types.js";

/** The services MongoosePush speaks. */
export const MONGOOSEPUSH_SERVICES = ["fcm", "apns"] as const;

export interface RecordingPubsubProvider extends PubsubProvider {
  /** From now on `send` reports `deviceId` unregistered instead of recording. */
  fail(deviceId: string): void;
}

/** Delivers nowhere and records the notifications it accepts, keeping the latest `limit` in `deliveries` (default 10 000; the oldest are dropped). */
export function createRecordingPubsubProvider(deliveries: PubsubDelivery[], now: () => number, limit = DEFAULT_RECORD_LIMIT): RecordingPubsubProvider {
  const failed = new Set<string>();
  return {
    fail(deviceId) {
      failed.add(deviceId);
    },
    send(message) {
      if (failed.has(message.deviceId)) return Promise.resolve<ProviderResult>({ ok: false, reason: "token-invalid" });
      keepLatest(deliveries, { ...message, publishOptions: { ...message.publishOptions }, at: now() }, limit);
      return Promise.resolve<ProviderResult>({ ok: true });
    },
  };
}

export function isRecordingPubsubProvider(provider: PubsubProvider): provider is RecordingPubsubProvider {
  return typeof (provider as Partial<RecordingPubsubProvider>).fail === "function";
}
