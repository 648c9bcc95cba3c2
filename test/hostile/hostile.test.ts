import { describe } from "vitest";
import { referenceProbeTests } from "./reference-suite.js";

/**
 * Hostile input against the reference server running as its own process (xmpp-push-sim), over
 * TCP and WebSocket: each probe's answer, the server's memory while it runs, and afterwards that
 * the process still runs and serves a normal client. The server logs a JSON line for any
 * internal error; there must be none.
 */
describe("hostile input to the reference server", () => {
  referenceProbeTests();
});
