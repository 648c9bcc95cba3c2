import type { LinkAcceptor } from "../../src/sim/index.js";
import { clientFooter, clientHeader } from "./client-framing.js";
import type { EscapeLog } from "./escape-log.js";
import { guarded } from "./drive-case.js";
import { DOMAIN } from "./fuzz-server.js";
import { bindRequest, plainAuth } from "./login-stanzas.js";
import { RecordingLink } from "./recording-link.js";

let checks = 0;

/**
 * Whether the server still serves: a fresh client logs in (PLAIN), binds and gets its ping
 * answered, all synchronously. Returns what went wrong, or undefined.
 */
export function healthProblem(server: LinkAcceptor, log: EscapeLog): string | undefined {
  const id = `health-${++checks}`;
  const link = new RecordingLink("rfc7395", true);
  const session = guarded(log, "accept", () => server.accept(link));
  if (!session) return "accept threw";
  for (const data of [
    clientHeader("rfc7395"),
    plainAuth("alice"),
    clientHeader("rfc7395"),
    bindRequest(`${id}-bind`, id),
    `<iq type='get' id='${id}' to='${DOMAIN}'><ping xmlns='urn:xmpp:ping'/></iq>`,
    clientFooter("rfc7395"),
  ]) {
    guarded(log, "receive", () => session.receive(data));
  }
  guarded(log, "disconnected", () => session.disconnected());
  const answered = link.sent.some((frame) => frame.startsWith("<iq") && frame.includes(`id="${id}"`) && frame.includes('type="result"'));
  return answered ? undefined : `a fresh session got no answer to its ping; the server sent ${JSON.stringify(link.sent)}`;
}
