/**
 * Schedules `task` on a macrotask. Data crossing the in-memory transport must not arrive on a
 * microtask: @xmpp/client's reconnect logic hangs when a server reply lands before its own
 * pending promise chain has settled, exactly as it never would over a real socket.
 */
export const macrotask: (task: () => void) => void =
  typeof globalThis.setImmediate === "function"
    ? (task) => {
        globalThis.setImmediate(task);
      }
    : (task) => {
        setTimeout(task, 0);
      };

/** Runs `deliver` for each queued item in order, batching everything queued before the next macrotask. */
export function createDeliveryQueue<T>(deliver: (item: T) => void): (item: T) => void {
  let queue: T[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (const item of batch) deliver(item);
  };
  return (item) => {
    queue.push(item);
    if (!scheduled) {
      scheduled = true;
      macrotask(flush);
    }
  };
}
