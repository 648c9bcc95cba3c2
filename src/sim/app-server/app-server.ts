import { buildResultReply, type Element, Emitter, errorReplyFor, iqPayload, NS } from "../../protocol/index.js";
import type { SendStanza } from "../component.js";
import { CommandSessions } from "./command-sessions.js";
import { executeCommand } from "./commands.js";
import type { AppServerContext } from "./context.js";
import { discoInfo, discoItems } from "./disco.js";
import { refusal } from "./iq-errors.js";
import { publishNotification } from "./publish.js";
import { createRecordingProvider, DEFAULT_PROVIDERS, isRecordingProvider } from "./recording-provider.js";
import { RegistrationBook } from "./registration-book.js";
import type { AppRegistration, AppServer, AppServerEvents, AppServerOptions, Delivery, PushProvider } from "./types.js";

const DEFAULT_SESSION_TIMEOUT = 300_000;

/** The reference app server: royneary mod_push's registration commands and a XEP-0357 push service. */
export function createAppServer(options: AppServerOptions): AppServer {
  return new ReferenceAppServer(options);
}

class ReferenceAppServer extends Emitter<AppServerEvents> implements AppServer {
  readonly jid: string;
  readonly deliveries: Delivery[];
  readonly #context: AppServerContext;
  #send: SendStanza | undefined;

  constructor(options: AppServerOptions) {
    super();
    this.jid = options.jid;
    this.deliveries = options.deliveries ?? [];
    const now = options.now ?? Date.now;
    const providers = new Map(Object.entries(options.providers ?? defaultProviders(this.deliveries, now)));
    this.#context = {
      jid: this.jid,
      providers,
      registrations: new RegistrationBook(),
      sessions: new CommandSessions(options.sessionTimeout ?? DEFAULT_SESSION_TIMEOUT, now),
      now,
      vapidPublicKey: options.vapidPublicKey,
      notify: (name, ...args) => this.emit(name, ...args),
    };
  }

  registrations(owner?: string): AppRegistration[] {
    return this.#context.registrations.list(owner);
  }

  failToken(token: string): void {
    for (const provider of this.#context.providers.values()) {
      if (isRecordingProvider(provider)) provider.fail(token);
    }
  }

  connect(send: SendStanza): () => void {
    this.#send = send;
    return () => {
      if (this.#send === send) this.#send = undefined;
    };
  }

  receive(stanza: Element): void {
    const type = stanza.attrs.type;
    if (stanza.name !== "iq" || (type !== "get" && type !== "set")) return;
    void this.handleIq(stanza).then((reply) => {
      try {
        this.#send?.(reply);
      } catch {
        // A broken link loses the reply, as a dead socket would; the requester times out.
      }
    });
  }

  async handleIq(iq: Element): Promise<Element> {
    let reply: Element;
    try {
      reply = buildResultReply(iq, await this.#answer(iq));
    } catch (error) {
      reply = errorReplyFor(iq, error);
    }
    reply.attrs.from ??= this.jid;
    return reply;
  }

  /** The result payload for a request, if any; a refusal throws. */
  async #answer(iq: Element): Promise<Element | undefined> {
    const type = iq.attrs.type;
    if (type !== "get" && type !== "set") throw refusal("bad-request", `not a request IQ (type '${String(type)}')`);
    const payload = iqPayload(iq);
    if (!payload) throw refusal("bad-request", "a request IQ carries exactly one payload element");

    if (type === "get" && payload.is("query", NS.discoInfo)) return discoInfo(this.#context, payload);
    if (type === "get" && payload.is("query", NS.discoItems)) return discoItems(this.#context, payload);
    if (type === "set" && payload.is("command", NS.commands)) return executeCommand(this.#context, iq, payload);
    if (type === "set" && payload.is("pubsub", NS.pubsub)) {
      await publishNotification(this.#context, iq, payload);
      return undefined;
    }
    throw refusal("service-unavailable", `no service for <${payload.name} xmlns='${String(payload.getNS())}'/>`, { type: "cancel" });
  }
}

function defaultProviders(deliveries: Delivery[], now: () => number): Record<string, PushProvider> {
  return Object.fromEntries(DEFAULT_PROVIDERS.map((name) => [name, createRecordingProvider(name, deliveries, now)]));
}
