import type { Registration } from "../types.js";

/**
 * Where registrations live between sessions. Four async methods so that any storage fits
 * (memory, IndexedDB, React Native's AsyncStorage …); each write is atomic per registration.
 */
export interface RegistrationStore {
  get(id: string): Promise<Registration | undefined>;
  put(registration: Registration): Promise<void>;
  delete(id: string): Promise<void>;
  list(): Promise<Registration[]>;
}
