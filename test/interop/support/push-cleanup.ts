import { login } from "../../hostile/stream.js";
import type { HostileTarget } from "../../hostile/target.js";
import { openWire } from "../../hostile/wire.js";
import { PUSH_JID } from "../shared.js";

/**
 * Disables every push registration of the target's users at push.localhost: a probe may leave
 * one behind (ejabberd applies an enable addressed to another user to the sender's own account),
 * and the files after the robustness tests must not meet stray publishes.
 */
export async function disablePushRegistrations(target: HostileTarget): Promise<void> {
  const service = target.service("tcp");
  if (!service) throw new Error(`${target.name} has no TCP listener`);
  for (const user of target.users) {
    const wire = await openWire("tcp", service);
    try {
      await login(wire, target.domain, user, target.password, "cleanup");
      await wire.write(`<iq xmlns='jabber:client' type='set' id='cleanup'><disable xmlns='urn:xmpp:push:0' jid='${PUSH_JID}'/></iq>`);
      await wire.waitFor(/<iq[^>]*id=['"]cleanup['"]/, 5_000);
    } finally {
      wire.destroy();
    }
  }
}
