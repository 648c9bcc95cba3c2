import type { Registration } from "../../src/client/types.js";

/** A stored registration as PushClient writes it; `overrides` change single fields. */
export function registration(id: string, overrides: Partial<Registration> = {}): Registration {
  return {
    id,
    account: "bob@example.test",
    appServer: "push.example.test",
    provider: "webpush",
    deviceId: "dev-1",
    dialect: "mod-push",
    token: "tok",
    jid: "push.example.test",
    node: `node-${id}`,
    publishOptions: { secret: "s" },
    registeredAt: 1,
    ...overrides,
  };
}
