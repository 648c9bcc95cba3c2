import type { LinkAcceptor } from "./link.js";

const acceptors = new Map<string, LinkAcceptor>();
let counter = 0;

/** Registers a server under a fresh `memory://` service URI that in-memory clients connect to. */
export function registerMemoryService(domain: string, acceptor: LinkAcceptor): { service: string; unregister: () => void } {
  const service = `memory://${domain}/${++counter}`;
  acceptors.set(service, acceptor);
  return { service, unregister: () => acceptors.delete(service) };
}

export function findMemoryService(service: string): LinkAcceptor | undefined {
  return acceptors.get(service);
}

export function isMemoryService(service: unknown): service is string {
  return typeof service === "string" && service.startsWith("memory://");
}
