import type { Delivery, ProviderMessage, ProviderResult, PushProvider } from "./types.js";

/** The platforms the royneary mod_push app server speaks, plus `fcm` and `webpush`. */
export const DEFAULT_PROVIDERS = ["apns", "gcm", "fcm", "mozilla", "ubuntu", "wns", "webpush"] as const;

/** A provider that delivers nowhere and records every notification it accepts. */
export interface RecordingProvider extends PushProvider {
  readonly name: string;
  /** From now on `send` reports `token` invalid instead of recording. */
  fail(token: string): void;
}

export function createRecordingProvider(name: string, deliveries: Delivery[], now: () => number = Date.now): RecordingProvider {
  const failedTokens = new Set<string>();
  return {
    name,
    fail(token) {
      failedTokens.add(token);
    },
    send(message) {
      if (failedTokens.has(message.token)) return Promise.resolve<ProviderResult>({ ok: false, reason: "token-invalid" });
      deliveries.push(deliveryOf(message, now()));
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
