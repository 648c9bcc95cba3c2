/**
 * Why a listener could not start (the process exits with code 1):
 * - `address-in-use`: something already listens on that port.
 * - `address-not-available`: the host is not an address of this machine.
 * - `permission-denied`: the port is privileged.
 * - `failed`: any other socket error.
 */
export type ListenErrorCondition = "address-in-use" | "address-not-available" | "permission-denied" | "failed";

const CONDITIONS: Record<string, ListenErrorCondition> = {
  EADDRINUSE: "address-in-use",
  EADDRNOTAVAIL: "address-not-available",
  EACCES: "permission-denied",
};

export class ListenError extends Error {
  override readonly name = "ListenError";
  readonly condition: ListenErrorCondition;

  /** `what`: the listener, e.g. "TCP on 127.0.0.1:5222"; `cause`: the socket error it failed with. */
  constructor(what: string, cause: unknown) {
    const code = (cause as { code?: string } | undefined)?.code;
    const condition = (code && CONDITIONS[code]) || "failed";
    const reason = condition === "failed" ? String((cause as Error | undefined)?.message ?? cause) : condition.replaceAll("-", " ");
    super(`cannot listen for ${what}: ${reason}`, { cause });
    this.condition = condition;
  }
}
