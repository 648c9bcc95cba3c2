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
  /**
   * Optional: runs `task` holding an exclusive lock called `name`, shared by every tab and worker
   * that uses the same storage, so that two tabs subscribing at once end with one registration.
   */
  lock?<T>(name: string, task: () => Promise<T>): Promise<T>;
}
