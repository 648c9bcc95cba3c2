import type { TigaseEnableOptions } from "../protocol/index.js";
import { missingFeature } from "../protocol/missing-feature.js";

/** What `subscribe({ tigase })` asks of a Tigase-style server and push component. */
export interface TigaseSettings extends Omit<TigaseEnableOptions, "encrypt"> {
  /**
   * Encrypted pushes (`tigase:push:encrypt:0`, aes-128-gcm): a 128-bit key is generated and kept
   * with the registration; `maxSize` is the payload limit (default: the component's
   * `max-payload-size`, else the server's own, 3000 bytes on Tigase).
   */
  encrypt?: boolean | { maxSize?: number };
  /** A second token (iOS PushKit, for VoIP pushes), sent as `device-second-token`. */
  voipToken?: string;
}

/** What a Tigase registration keeps: the settings, the key, and what the component answered. */
export interface TigaseRegistration {
  settings: TigaseSettings;
  /** base64 of the 16-byte AES key, when encryption was asked for. */
  encryptionKey?: string;
  /** `features` of the register-device result. */
  features?: string[];
  /** `max-payload-size` of the register-device result. */
  maxPayloadSize?: number;
  /** The extension namespaces the last enable sent: those asked for that the account advertised. */
  applied?: string[];
}

/** A fresh 128-bit key from Web Crypto, base64, as `<encrypt>` carries it. */
export function generateEncryptionKey(): string {
  const crypto = globalThis.crypto as Crypto | undefined;
  if (typeof crypto?.getRandomValues !== "function") throw missingFeature("crypto.getRandomValues", "react-native-get-random-values");
  if (typeof globalThis.btoa !== "function") throw missingFeature("btoa", "base-64, as global.btoa = encode");
  // 16 bytes: spread as arguments at once, so bytesToBase64's general loop stays out of the dialect.
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** The registration's Tigase part; keeps `previous`'s key when encryption stays on. */
export function tigaseRegistration(
  settings: TigaseSettings,
  answered: { features?: string[]; maxPayloadSize?: number },
  previous?: TigaseRegistration,
): TigaseRegistration {
  const registration: TigaseRegistration = { settings };
  if (settings.encrypt) registration.encryptionKey = previous?.encryptionKey ?? generateEncryptionKey();
  if (answered.features) registration.features = answered.features;
  if (answered.maxPayloadSize !== undefined) registration.maxPayloadSize = answered.maxPayloadSize;
  return registration;
}

/** The `<enable>` extensions for a registration (or the ones an EnableTarget names). */
export function tigaseEnableOptions(tigase: TigaseRegistration | TigaseEnableOptions): TigaseEnableOptions {
  if (!("settings" in tigase)) return tigase;
  const { encrypt, voipToken: _registrationOnly, ...rest } = tigase.settings;
  const options: TigaseEnableOptions = rest;
  // An undefined maxSize leaves max-size off the <encrypt/>.
  if (encrypt && tigase.encryptionKey) options.encrypt = { key: tigase.encryptionKey, maxSize: (typeof encrypt === "object" ? encrypt.maxSize : undefined) ?? tigase.maxPayloadSize };
  return options;
}
