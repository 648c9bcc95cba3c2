import type { Client } from "@xmpp/client";
import type { PushClient } from "../../../src/index.js";
import type { XmppServerOptions } from "../../../src/sim/index.js";
import { APP_SERVER, type Chain, createChain } from "../../helpers/chain.js";

/** Prosody as seed 003 describes it: the `prosody` preset, with MAM unless told otherwise. */
export interface ProsodySetup extends Chain {
  /** A device that subscribed to push with `token`. */
  subscribed(username: string, resource: string, token: string): Promise<{ xmpp: Client; push: PushClient; node: string }>;
}

export function prosody(options: Partial<XmppServerOptions> = {}): ProsodySetup {
  const chain = createChain({ preset: "prosody", server: { mam: true, ...options } });
  return {
    ...chain,
    async subscribed(username, resource, token) {
      const { xmpp, push } = await chain.device(username, resource);
      const registration = await push.subscribe({ appServer: APP_SERVER, provider: "fcm", token });
      return { xmpp, push, node: registration.node };
    },
  };
}
