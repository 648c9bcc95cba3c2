import { type Element, xml } from "../../../../protocol/index.js";
import { StreamError } from "../../c2s/stream-error.js";
import type { ClientSession, ModuleHost, ServerModule } from "../../module.js";
import { ManagedStream, NS_SM } from "./managed-stream.js";
import type { ResolvedStreamManagement } from "./options.js";

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/**
 * XEP-0198 stream management (Prosody's mod_smacks): acks, resumption, and hibernation of a
 * session whose connection dropped — the hooks other modules (push) use to act on what the
 * client did not receive.
 */
export function streamManagementModule(options: ResolvedStreamManagement): ServerModule {
  return {
    name: "stream-management",
    load(host) {
      const bySession = new WeakMap<ClientSession, ManagedStream>();
      /** Resumable streams by their XEP-0198 id. */
      const byId = new Map<string, ManagedStream>();

      host.hook("stream-features", ({ features, phase }) => {
        if (phase === "authenticated") features.append(xml("sm", { xmlns: NS_SM }));
      });

      /** `<enabled/>`, or `<failed/>` when the session is not bound or already managed. */
      const enable = (session: ClientSession, element: Element): Element => {
        if (!session.bound || bySession.has(session)) return failed("unexpected-request");
        const stream = new ManagedStream(session, host, options, element.attrs.resume === "true" || element.attrs.resume === "1");
        bySession.set(session, stream);
        if (stream.resumable) byId.set(stream.id, stream);
        session.filters.in.push(stream.incoming);
        session.filters.out.push(stream.outgoing);
        return stream.enabledElement();
      };

      host.hook(`stanza/${NS_SM}:enable`, ({ session, element }) => {
        session.write(enable(session, element));
        return true;
      });

      // XEP-0198 §5 inline in XEP-0386 Bind2 (Prosody's mod_smacks): enable with the bind, answered inside <bound/>.
      host.hook("advertise-bind-features", ({ features }) => {
        features.append(xml("feature", { var: NS_SM }));
      });

      host.hook("enable-bind-features", ({ session, request, result }) => {
        const element = request.getChild("enable", NS_SM);
        if (element) result.append(enable(session, element));
      });

      host.hook(`stanza/${NS_SM}:r`, ({ session }) => {
        bySession.get(session)?.answerRequest();
        return true;
      });

      host.hook(`stanza/${NS_SM}:a`, ({ session, element }) => {
        const stream = bySession.get(session);
        const h = Number(element.attrs.h);
        if (!stream || !isCounter(h)) return true;
        const outcome = stream.acknowledge(h);
        if (outcome === "too-high") {
          // XEP-0198 §4: an h above what was sent ends the stream.
          session.streamError(new StreamError("undefined-condition", "the client acknowledged more stanzas than the server sent", stream.handledCountTooHigh(h)));
        } else if (outcome === "ok" && session.jid) {
          host.emit("acked", session.jid, h, stream.unacknowledgedCount);
        }
        return true;
      });

      host.hook(`stanza/${NS_SM}:resume`, ({ session, element }) => {
        resume(host, byId, session, element);
        return true;
      });

      host.hook("pre-resource-unbind", ({ session }) => {
        const stream = bySession.get(session);
        if (!stream?.resumable || !session.jid) return undefined;
        stream.hibernate();
        host.emit("hibernated", session.jid);
        return true;
      });

      host.hook("resource-unbind", ({ session }) => {
        const stream = bySession.get(session);
        if (!stream) return;
        stream.stop();
        byId.delete(stream.id);
        bySession.delete(session);
        // What the client never acknowledged is not lost: messages go to offline handling (and push there).
        const account = session.account;
        if (!account) return;
        for (const stanza of stream.unacknowledged) if (stanza.name === "message") host.fire("message/offline", { account, stanza });
      });

      return () => {
        for (const stream of byId.values()) stream.stop();
      };
    },
  };
}

function resume(host: ModuleHost, byId: ReadonlyMap<string, ManagedStream>, successor: ClientSession, element: Element): void {
  const previous = byId.get(String(element.attrs.previd ?? ""));
  const h = Number(element.attrs.h);
  // Another account's stream id is as unknown as a made-up one.
  if (successor.bound || !previous || previous.session.account !== successor.account || !previous.session.bound || !isCounter(h)) {
    successor.write(failed("item-not-found"));
    return;
  }
  if (previous.acknowledge(h) === "too-high") {
    successor.write(failed("undefined-condition", previous.handledCountTooHigh(h)));
    return;
  }
  previous.session.resumeWith(successor);
  previous.resumed();
  if (previous.session.jid) host.emit("resumed", previous.session.jid);
}

function failed(condition: string, detail?: Element): Element {
  return xml("failed", { xmlns: NS_SM }, xml(condition, { xmlns: NS_STANZAS }), detail);
}

function isCounter(h: number): boolean {
  return Number.isInteger(h) && h >= 0 && h < 2 ** 32;
}
