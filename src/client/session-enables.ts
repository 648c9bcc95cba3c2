import type { Registration } from "./types.js";

/**
 * The registrations enabled on the current session, each with what its enable said: a
 * `subscribe()` that would send the same enable again (after the re-enable that follows
 * `online`, or a second subscribe) has nothing to do. A new session starts empty.
 */
export class SessionEnables {
  readonly #enables = new Map<string, string>();

  /** A new session: the server may have dropped every registration. */
  reset(): void {
    this.#enables.clear();
  }

  sent(registration: Registration): void {
    this.#enables.set(registration.id, enableKey(registration));
  }

  forget(id: string): void {
    this.#enables.delete(id);
  }

  has(registration: Registration): boolean {
    return this.#enables.get(registration.id) === enableKey(registration);
  }
}

/** Everything that goes into a registration's enable (the Tigase part as stored: no Tigase code in the core). */
function enableKey(registration: Registration): string {
  const { jid, node, publishOptions, pushOptions, muc, push2 } = registration;
  return JSON.stringify([jid, node, publishOptions, pushOptions ?? null, registration.tigase ?? null, muc ?? null, push2 ?? null]);
}
