import { base64ToBytes, bytesToBase64, type Element, NS, xml } from "../../../../protocol/index.js";
import type { ServerModule } from "../../module.js";
import { TIGASE } from "./namespaces.js";
import { DEFAULT_MAX_SIZE, type TigasePayload, tigasePayload } from "./payload.js";
import { badEnable, enableChild } from "./settings.js";
import { jingleMessageOf } from "./stanza.js";

interface EncryptSettings {
  readonly key: Promise<CryptoKey>;
  readonly maxSize: number;
}

/** The IV Tigase draws for each push: 12 random bytes (since tigase-server f87eea918; 16 before). */
const IV_BYTES = 12;

/**
 * Tigase's `tigase:push:encrypt:0` (EncryptedPushNotificationExtension, TS3): an enable with
 * `<encrypt alg='aes-128-gcm' max-size='N'>base64 key</encrypt>` gets, instead of the summary
 * form, `<encrypted iv='base64'>base64(ciphertext ‖ 16-byte tag)</encrypted>` of a JSON payload.
 */
export function tigaseEncryptModule(): ServerModule {
  return {
    name: "tigase-encrypt",
    load(host) {
      const settings = enableChild(host, "encrypt", TIGASE.encrypt, parseEncrypt);
      host.addFeature("account", TIGASE.aes128gcm);
      // After the filters and the other extensions: it takes the summary form out.
      host.hook(
        "cloud-notify/push",
        ({ registration, notification, stanza, summary, pending }) => {
          const encrypt = settings.get(registration);
          if (!encrypt) return undefined;
          const payload = tigasePayload(stanza, summary.messageCount ?? 0, encrypt.maxSize);
          if (!payload) return undefined;
          notification.children = notification.children.filter((child) => typeof child === "string" || !child.is("x", NS.dataForms));
          const voip = jingleMessageOf(stanza) !== undefined;
          pending.push(
            encryptPayload(encrypt.key, payload).then(({ iv, data }) => {
              notification.append(xml("encrypted", { xmlns: TIGASE.encrypt, iv, type: voip ? "voip" : undefined }, data));
            }),
          );
          return undefined;
        },
        -10,
      );
    },
  };
}

function parseEncrypt(encrypt: Element): EncryptSettings {
  const alg = encrypt.attrs.alg as unknown;
  if (typeof alg !== "string" || alg.toLowerCase() !== "aes-128-gcm") throw badEnable(`encrypt alg '${String(alg)}' is not supported (aes-128-gcm is)`, encrypt);
  const key = base64ToBytes(encrypt.text().trim());
  if (!key || key.length !== 16) throw badEnable("the aes-128-gcm key is 16 bytes, in base64", encrypt);
  const maxSizeText = encrypt.attrs["max-size"] as unknown;
  let maxSize = DEFAULT_MAX_SIZE;
  if (maxSizeText !== undefined) {
    if (typeof maxSizeText !== "string" || !/^\d{1,9}$/.test(maxSizeText) || Number(maxSizeText) < 64) {
      throw badEnable(`max-size '${String(maxSizeText)}' is not a number of bytes of at least 64`, encrypt);
    }
    maxSize = Number(maxSizeText);
  }
  return { key: crypto.subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"]), maxSize };
}

/** AES-GCM with a 128-bit tag; Web Crypto's output is already ciphertext ‖ tag, as Java's `doFinal`. */
async function encryptPayload(key: Promise<CryptoKey>, payload: TigasePayload): Promise<{ iv: string; data: string }> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plaintext = new TextEncoder().encode(JSON.stringify(payload));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, tagLength: 128 }, await key, plaintext);
  return { iv: bytesToBase64(iv), data: bytesToBase64(new Uint8Array(sealed)) };
}
