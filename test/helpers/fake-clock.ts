import { vi } from "vitest";

/**
 * vitest's fake clock for the server's XEP-0198 timers (setTimeout and Date); the in-memory
 * transport runs on setImmediate and promises, which stay real. `waitFor` polls with setTimeout:
 * use `settle` instead while the clock is fake.
 */
export function useFakeClock(): void {
  vi.useFakeTimers({ now: Date.now(), toFake: ["setTimeout", "clearTimeout", "Date"] });
}

/** Lets in-memory traffic (setImmediate and promises) run to the end, without moving the fake clock. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Moves the fake clock on by `ms` (firing the timers due), then lets the traffic they cause run. */
export async function advance(ms: number): Promise<void> {
  vi.advanceTimersByTime(ms);
  await settle();
}
