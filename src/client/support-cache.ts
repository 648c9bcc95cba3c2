import type { PushError } from "../protocol/index.js";
import type { Registration } from "./types.js";

/**
 * The account's server features as a stored registration of the account keeps them
 * (`Registration.accountFeatures`): the support record lives in the registrations themselves,
 * so every `RegistrationStore` keeps it without a method of its own.
 */
export function storedFeatures(registrations: readonly Registration[], account: string): string[] | undefined {
  return registrations.find((registration) => registration.account === account && registration.accountFeatures !== undefined)?.accountFeatures;
}

/**
 * An account-level enable answered like this means the server does not take push (any more): a
 * server without XEP-0357 answers an unknown payload with `service-unavailable` (RFC 6120
 * 8.4), one with the module switched off with `feature-not-implemented`.
 */
export function meansUnsupported(error: unknown): error is PushError {
  const condition = (error as { condition?: unknown } | null)?.condition;
  return condition === "service-unavailable" || condition === "feature-not-implemented";
}

/** The account's registrations that still carry the features, without them. */
export function withoutFeatures(registrations: readonly Registration[], account: string): Registration[] {
  return registrations
    .filter((registration) => registration.account === account && registration.accountFeatures !== undefined)
    .map(({ accountFeatures: _dropped, ...registration }) => registration);
}
