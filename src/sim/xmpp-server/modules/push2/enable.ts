import { bareJid, buildStanzaError, type Element, NS_PUSH2, PUSH2_SEND_SCE, parsePush2Enable, PushError, xml } from "../../../../protocol/index.js";
import type { ClientSession, IqContext, ModuleHost } from "../../module.js";
import type { Push2Registration, Push2Registry } from "./registry.js";
import type { Push2Sender } from "./sender.js";

/**
 * Enable and disable (P2S1–P2S4), as an IQ set to the own account or inline in Bind2: each
 * registration belongs to the client that made it — its XEP-0388 user-agent id, or its resource
 * without SASL2 (mod_push2's `registration_id`) — and the session that enabled owns it.
 */
export class Push2Enabler {
  /** The user-agent id each session authenticated with (XEP-0388 `<user-agent id/>`). */
  readonly #clientIds = new WeakMap<ClientSession, string>();
  /** The registration id each session enabled (mod_push2's `session.push_registration_id`). */
  readonly owners = new WeakMap<ClientSession, string>();

  constructor(
    private readonly host: ModuleHost,
    private readonly registry: Push2Registry,
    private readonly sender: Push2Sender,
    private readonly now: () => number,
    private readonly maxRegistrations = Number.POSITIVE_INFINITY,
  ) {
    host.hook("sasl2/authenticate", ({ session, authenticate }) => {
      const id = authenticate.getChild("user-agent")?.attrs.id;
      if (typeof id === "string" && id !== "") this.#clientIds.set(session, id);
      else this.#clientIds.delete(session);
      return undefined;
    });
    host.handleIq("self", "set", NS_PUSH2, "enable", async ({ payload, context }) => {
      const session = sessionOf(host, context);
      const registration = this.#registration(session, payload);
      // A signing key Web Crypto will not import is refused now, not at the first push.
      try {
        await Promise.all(signingKeys(registration).map((jwt) => this.sender.signer(jwt)));
      } catch {
        throw new PushError("bad-request", "jwt-key is not a P-256 ECDSA key in PKCS#8");
      }
      this.#store(session, registration);
      this.host.emit("push2-enabled", registration);
      return undefined;
    });
    host.handleIq("self", "set", NS_PUSH2, "disable", ({ context }) => {
      this.#disable(sessionOf(host, context));
      return undefined;
    });
    host.hook("advertise-bind-features", ({ features }) => void features.append(xml("feature", { var: NS_PUSH2 })));
    host.hook("enable-bind-features", ({ session, request, result }) => {
      const enable = request.getChild("enable", NS_PUSH2);
      if (!enable) return undefined;
      result.append(this.#inline(session, enable));
      return undefined;
    });
  }

  /** The id a session's registration has: its client's user-agent id, or its resource. */
  idOf(session: ClientSession): string {
    return this.#clientIds.get(session) ?? resourceOf(session.jid ?? "");
  }

  /**
   * Inline in Bind2 (P2S4): `<enabled/>`, or `<failed/>` with the error the IQ would have
   * carried. The key import cannot hold up the success; a key it refuses removes the registration.
   */
  #inline(session: ClientSession, enable: Element): Element {
    let registration: Push2Registration;
    try {
      registration = this.#registration(session, enable);
    } catch (error) {
      const refusal = error instanceof PushError ? error : new PushError("internal-server-error", String(error));
      const condition = refusal.condition === "bad-request" ? "bad-request" : "internal-server-error";
      return xml("failed", { xmlns: NS_PUSH2 }, buildStanzaError(condition === "bad-request" ? "modify" : "wait", condition, { text: refusal.message }));
    }
    this.#store(session, registration);
    Promise.all(signingKeys(registration).map((jwt) => this.sender.signer(jwt))).then(
      () => this.host.emit("push2-enabled", registration),
      () => {
        if (this.registry.remove(registration)) this.host.emit("push2-disabled", registration, "error");
      },
    );
    return xml("enabled", { xmlns: NS_PUSH2 });
  }

  #registration(session: ClientSession, payload: Element): Push2Registration {
    const account = session.account ?? "";
    const enable = parsePush2Enable(payload);
    // mod_push2 compares with the sender's full JID only; its own bare JID would loop just the same.
    if (enable.service === session.jid || bareJid(enable.service).toLowerCase() === account) throw new PushError("bad-request", "JID must be different from ours");
    return { ...enable, account, id: this.idOf(session), enabledAt: this.now() };
  }

  #store(session: ClientSession, registration: Push2Registration): void {
    const evicted = this.registry.add(registration, this.maxRegistrations);
    this.owners.set(session, registration.id);
    for (const gone of evicted) this.host.emit("push2-disabled", gone, "limit");
  }

  #disable(session: ClientSession): void {
    const removed = this.registry.disable(session.account ?? "", this.idOf(session));
    this.owners.delete(session);
    if (removed) this.host.emit("push2-disabled", removed, "disable");
  }
}

function signingKeys(registration: Push2Registration) {
  return registration.matches.flatMap((match) => (match.send.profile === PUSH2_SEND_SCE && match.send.jwt ? [match.send.jwt] : []));
}

function sessionOf(host: ModuleHost, context: IqContext): ClientSession {
  const session = context.account ? host.sessionsOf(context.account).find((candidate) => candidate.jid === context.from) : undefined;
  if (!session) throw new PushError("service-unavailable");
  return session;
}

function resourceOf(jid: string): string {
  const slash = jid.indexOf("/");
  return slash === -1 ? "" : jid.slice(slash + 1);
}
