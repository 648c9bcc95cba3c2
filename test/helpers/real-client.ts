import type { Client } from "@xmpp/client";
import type { SimulatedClient } from "../../src/sim/index.js";

/** The simulator's client is a real @xmpp/client; tests that use more of it than `SimulatedClient` describes see it as one. */
export const asClient = (xmpp: SimulatedClient): Client => xmpp as unknown as Client;
