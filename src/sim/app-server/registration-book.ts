import type { AppRegistration } from "./types.js";

/**
 * The app server's registrations, by node and by owner, so that an owner's lookups cost the
 * same however many registrations others hold. Hands out copies so callers cannot change its state.
 */
export class RegistrationBook {
  readonly #byNode = new Map<string, AppRegistration>();
  readonly #byOwner = new Map<string, Map<string, AppRegistration>>();

  get(node: string): AppRegistration | undefined {
    const registration = this.#byNode.get(node);
    return registration && copyRegistration(registration);
  }

  /** One owner's registration for a provider and device, which a re-registration replaces (A4). */
  findDevice(owner: string, provider: string, deviceId: string): AppRegistration | undefined {
    for (const registration of this.#byOwner.get(owner)?.values() ?? []) {
      if (registration.provider === provider && registration.deviceId === deviceId) return copyRegistration(registration);
    }
    return undefined;
  }

  list(owner?: string): AppRegistration[] {
    const registrations = owner === undefined ? this.#byNode.values() : (this.#byOwner.get(owner)?.values() ?? []);
    return [...registrations].map(copyRegistration);
  }

  put(registration: AppRegistration): void {
    const stored = copyRegistration(registration);
    const previous = this.#byNode.get(stored.node);
    if (previous && previous.owner !== stored.owner) this.#byOwner.get(previous.owner)?.delete(stored.node);
    this.#byNode.set(stored.node, stored);
    let owned = this.#byOwner.get(stored.owner);
    if (!owned) this.#byOwner.set(stored.owner, (owned = new Map()));
    owned.set(stored.node, stored);
  }

  delete(node: string): AppRegistration | undefined {
    const registration = this.#byNode.get(node);
    if (!registration) return undefined;
    this.#byNode.delete(node);
    const owned = this.#byOwner.get(registration.owner);
    owned?.delete(node);
    if (owned?.size === 0) this.#byOwner.delete(registration.owner);
    return registration;
  }
}

export function copyRegistration(registration: AppRegistration): AppRegistration {
  const fields: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(registration.fields)) fields[name] = [...values];
  return { ...registration, fields };
}
