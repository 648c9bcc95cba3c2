import { base64ToBytes, bytesToBase64, type Element, randomHex, xml } from "../../../protocol/index.js";
import { decodePlain } from "./sasl-plain.js";
import { type ScramChallenge, startScram } from "./scram-sha1.js";

export const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

/** RFC 6120 §6.5 SASL failure conditions the server answers with. */
export type SaslFailureCondition = "aborted" | "incorrect-encoding" | "invalid-authzid" | "invalid-mechanism" | "malformed-request" | "not-authorized" | "temporary-auth-failure";

/** What one SASL step leads to, whatever framing carries it (RFC 6120 or XEP-0388). */
export type SaslOutcome =
  | { readonly kind: "challenge"; readonly data: string }
  | { readonly kind: "success"; readonly username: string; readonly additionalData?: string }
  | { readonly kind: "failure"; readonly condition: SaslFailureCondition };

/** What one client SASL element leads to. */
export type SaslStep =
  | { readonly kind: "challenge"; readonly element: Element }
  | { readonly kind: "success"; readonly username: string; readonly element: Element }
  | { readonly kind: "failure"; readonly condition: SaslFailureCondition; readonly element: Element };

export interface SaslAccounts {
  readonly domain: string;
  verify(username: string, password: string): boolean;
  /** The stored password, for SCRAM (the reference server keeps plain passwords, like Prosody's internal_plain). */
  password(username: string): string | undefined;
}

/**
 * One connection's SASL exchange (RFC 6120 §6): PLAIN on a confidential link (RFC 4616 §4),
 * SCRAM-SHA-1 (RFC 5802) on others. Not both: @xmpp/client takes SCRAM whenever it is offered,
 * and its PBKDF2 in plain JavaScript costs about half a second per login.
 */
export class SaslNegotiation {
  readonly #accounts: SaslAccounts;
  readonly #secure: boolean;
  #scram: { username: string; challenge: ScramChallenge } | undefined;

  constructor(accounts: SaslAccounts, secure: boolean) {
    this.#accounts = accounts;
    this.#secure = secure;
  }

  /** The one mechanism this link offers. */
  get mechanismNames(): readonly string[] {
    return [this.#secure ? "PLAIN" : "SCRAM-SHA-1"];
  }

  mechanisms(): Element {
    return xml("mechanisms", { xmlns: NS_SASL }, ...this.mechanismNames.map((name) => xml("mechanism", {}, name)));
  }

  /** The answer to a SASL element, or undefined when `element` is no SASL element this exchange expects. Never rejects. */
  step(element: Element): SaslStep | Promise<SaslStep> | undefined {
    if (element.is("auth", NS_SASL)) return framed(this.start(element.attrs.mechanism, element.text()));
    if (element.is("response", NS_SASL) && this.expectsResponse) return framed(this.respond(element.text()));
    if (element.is("abort", NS_SASL)) return framed(this.abort());
    return undefined;
  }

  /** A challenge went out and the mechanism waits for the client's response. */
  get expectsResponse(): boolean {
    return this.#scram !== undefined;
  }

  /** Starts `mechanism` with the client's (base64) initial response. Never rejects. */
  start(mechanism: unknown, initialResponse: string): SaslOutcome | Promise<SaslOutcome> {
    this.#scram = undefined;
    if (mechanism === "PLAIN" && this.#secure) return this.#plain(initialResponse);
    if (mechanism === "SCRAM-SHA-1" && !this.#secure) return settled(this.#scramFirst(initialResponse));
    return failure("invalid-mechanism");
  }

  /** The client's (base64) response to the last challenge. Never rejects. */
  respond(response: string): SaslOutcome | Promise<SaslOutcome> {
    if (!this.#scram) return failure("malformed-request");
    return settled(this.#scramFinal(response));
  }

  abort(): SaslOutcome {
    this.#scram = undefined;
    return failure("aborted");
  }

  #plain(message: string): SaslOutcome {
    const bytes = base64ToBytes(message.trim());
    if (!bytes) return failure("incorrect-encoding");
    const credentials = decodePlain(bytes);
    if (!credentials) return failure("malformed-request");
    if (!this.#authorized(credentials.username, credentials.authzid)) return failure("invalid-authzid");
    if (!this.#accounts.verify(credentials.username, credentials.password)) return failure("not-authorized");
    return success(credentials.username);
  }

  async #scramFirst(message: string): Promise<SaslOutcome> {
    const clientFirst = decodeText(message);
    if (clientFirst === undefined) return failure("incorrect-encoding");
    const start = startScram(clientFirst);
    if (!start) return failure("malformed-request");
    const password = this.#accounts.password(start.username);
    if (password === undefined || !this.#authorized(start.username, start.authzid)) {
      // Same answer for unknown users as for wrong passwords: after a challenge, with a fake salt.
      const decoy = await start.challenge(randomHex(16));
      this.#scram = { username: "", challenge: { serverFirst: decoy.serverFirst, finish: async () => undefined } };
    } else {
      this.#scram = { username: start.username, challenge: await start.challenge(password) };
    }
    return { kind: "challenge", data: encodeText(this.#scram.challenge.serverFirst) };
  }

  async #scramFinal(message: string): Promise<SaslOutcome> {
    const scram = this.#scram;
    this.#scram = undefined;
    const clientFinal = decodeText(message);
    if (clientFinal === undefined) return failure("incorrect-encoding");
    const serverFinal = scram ? await scram.challenge.finish(clientFinal) : undefined;
    if (!scram || serverFinal === undefined) return failure("not-authorized");
    return success(scram.username, encodeText(serverFinal));
  }

  #authorized(username: string, authzid: string): boolean {
    return !authzid || authzid.toLowerCase() === `${username.toLowerCase()}@${this.#accounts.domain}`;
  }
}

function settled(outcome: Promise<SaslOutcome>): Promise<SaslOutcome> {
  return outcome.catch(() => failure("temporary-auth-failure"));
}

function success(username: string, additionalData?: string): SaslOutcome {
  return { kind: "success", username: username.toLowerCase(), ...(additionalData === undefined ? {} : { additionalData }) };
}

function failure(condition: SaslFailureCondition): SaslOutcome {
  return { kind: "failure", condition };
}

/** An outcome in RFC 6120's elements. */
function framed(outcome: SaslOutcome | Promise<SaslOutcome>): SaslStep | Promise<SaslStep> {
  if (outcome instanceof Promise) return outcome.then(toStep);
  return toStep(outcome);
}

function toStep(outcome: SaslOutcome): SaslStep {
  switch (outcome.kind) {
    case "challenge":
      return { kind: "challenge", element: xml("challenge", { xmlns: NS_SASL }, outcome.data) };
    case "success":
      return { kind: "success", username: outcome.username, element: xml("success", { xmlns: NS_SASL }, outcome.additionalData) };
    default:
      return { kind: "failure", condition: outcome.condition, element: xml("failure", { xmlns: NS_SASL }, xml(outcome.condition)) };
  }
}

function encodeText(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/** Base64 of UTF-8 text; undefined when either layer is malformed. */
function decodeText(base64: string): string | undefined {
  const bytes = base64ToBytes(base64.trim());
  if (!bytes) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
