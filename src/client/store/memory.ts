import type { Registration } from "../types.js";
import type { RegistrationStore } from "./types.js";

/** The default store: registrations live as long as the process. Copies in and out, like a real store. */
export class MemoryStore implements RegistrationStore {
  readonly #registrations = new Map<string, Registration>();

  async get(id: string): Promise<Registration | undefined> {
    const registration = this.#registrations.get(id);
    return registration && copy(registration);
  }

  async put(registration: Registration): Promise<void> {
    this.#registrations.set(registration.id, copy(registration));
  }

  async delete(id: string): Promise<void> {
    this.#registrations.delete(id);
  }

  async list(): Promise<Registration[]> {
    return [...this.#registrations.values()].map((registration) => copy(registration));
  }
}

// JSON rather than structuredClone: React Native's Hermes lacks the latter, and a registration is plain data.
function copy(registration: Registration): Registration {
  return JSON.parse(JSON.stringify(registration)) as Registration;
}
