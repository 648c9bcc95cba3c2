import type { AppRegistration } from "./types.js";

/** The app server's registrations, by node. Hands out copies so callers cannot change its state. */
export class RegistrationBook {
  readonly #byNode = new Map<string, AppRegistration>();

  get(node: string): AppRegistration | undefined {
    const registration = this.#byNode.get(node);
    return registration && copyRegistration(registration);
  }

  /** One owner's registration for a provider and device, which a re-registration replaces (A4). */
  findDevice(owner: string, provider: string, deviceId: string): AppRegistration | undefined {
    return this.list(owner).find((registration) => registration.provider === provider && registration.deviceId === deviceId);
  }

  list(owner?: string): AppRegistration[] {
    return [...this.#byNode.values()].filter((registration) => owner === undefined || registration.owner === owner).map(copyRegistration);
  }

  put(registration: AppRegistration): void {
    this.#byNode.set(registration.node, copyRegistration(registration));
  }

  delete(node: string): AppRegistration | undefined {
    const registration = this.#byNode.get(node);
    this.#byNode.delete(node);
    return registration;
  }
}

export function copyRegistration(registration: AppRegistration): AppRegistration {
  const fields: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(registration.fields)) fields[name] = [...values];
  return { ...registration, fields };
}
