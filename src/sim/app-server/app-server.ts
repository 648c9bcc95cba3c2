import { domainOf, type Element, NS, PushError } from "../../protocol/index.js";
import { RequestComponent } from "../request-component.js";
import { createIqRouter } from "../iq-router.js";
import { CommandSessions } from "./command-sessions.js";
import { executeCommand } from "./commands.js";
import type { AppServerContext } from "./context.js";
import { createDialects } from "./dialects/index.js";
import { discoInfo, discoItems } from "./disco.js";
import { receiveForwarded } from "./forwarded-publish.js";
import { publishNotification } from "./publish.js";
import { PushServiceNodes } from "./push-service-nodes.js";
import { createRecordingProvider, DEFAULT_PROVIDERS, isRecordingProvider } from "./recording-provider.js";
import { RegistrationBook } from "./registration-book.js";
import { DEFAULT_RECORD_LIMIT, positiveLimit } from "../recent-records.js";
import type { AppRegistration, AppServer, AppServerEvents, AppServerOptions, Delivery, PushProvider } from "./types.js";

const DEFAULT_SESSION_TIMEOUT = 300_000;
const DEFAULT_PUSH_SERVICE_TIMEOUT = 10_000;
const DEFAULT_REGISTRATIONS_PER_OWNER = 100;

/** The reference app server: the registration commands of its dialects (default royneary mod_push) and a XEP-0357 push service. */
export function createAppServer(options: AppServerOptions): AppServer {
  return new ReferenceAppServer(options);
}

class ReferenceAppServer extends RequestComponent<AppServerEvents> implements AppServer {
  readonly jid: string;
  readonly pubsubHost: string;
  readonly pushService: string | undefined;
  readonly domains: readonly string[];
  readonly deliveries: Delivery[];
  readonly #context: AppServerContext;

  constructor(options: AppServerOptions) {
    super();
    this.jid = options.jid;
    if (options.pushService !== undefined && options.pubsubHost !== undefined && options.pubsubHost !== options.pushService) {
      throw new PushError("bad-request", "with a push service, the push service is the pubsub host");
    }
    this.pushService = options.pushService;
    this.pubsubHost = options.pushService ?? options.pubsubHost ?? options.jid;
    // A separate push service is its own component; a pubsub host of our own is routed to us.
    this.domains = this.pubsubHost === this.jid || this.pushService !== undefined ? [] : [this.pubsubHost];
    this.deliveries = options.deliveries ?? [];
    const now = options.now ?? Date.now;
    const deliveryLimit = positiveLimit("deliveryLimit", options.deliveryLimit, DEFAULT_RECORD_LIMIT);
    const providers = new Map(Object.entries(options.providers ?? defaultProviders(this.deliveries, now, deliveryLimit)));
    this.#context = {
      jid: this.jid,
      pubsubHost: this.pubsubHost,
      providers,
      dialects: createDialects(options),
      registrations: new RegistrationBook(positiveLimit("registrationsPerOwner", options.registrationsPerOwner, DEFAULT_REGISTRATIONS_PER_OWNER)),
      sessions: new CommandSessions(options.sessionTimeout ?? DEFAULT_SESSION_TIMEOUT, now),
      now,
      vapidPublicKey: options.vapidPublicKey,
      pushService:
        options.pushService === undefined
          ? undefined
          : new PushServiceNodes(this.jid, options.pushService, options.pushServiceTimeout ?? DEFAULT_PUSH_SERVICE_TIMEOUT, (stanza) => this.send(stanza)),
      mucPublishers: (options.mucPublishers ?? []).map((domain) => domain.toLowerCase()),
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

  override receive(stanza: Element): void {
    const type = stanza.attrs.type;
    if (stanza.name === "iq" && (type === "result" || type === "error")) this.#context.pushService?.claim(stanza);
    else if (stanza.name === "message") void receiveForwarded(this.#context, stanza);
    else super.receive(stanza);
  }

  async handleIq(iq: Element): Promise<Element> {
    const reply = await requests.handle(iq, this.#context);
    reply.attrs.from ??= this.jid;
    return reply;
  }
}

/** What the app server answers: disco (A1, A2), the registration commands, and the XEP-0357 publishes. */
const requests = createIqRouter<AppServerContext>()
  .get(NS.discoInfo, "query", ({ payload, context }) => discoInfo(context, payload))
  .get(NS.discoItems, "query", ({ payload, context }) => discoItems(context, payload))
  .set(NS.commands, "command", ({ iq, payload, context }) => executeCommand(context, iq, payload))
  .set(NS.pubsub, "pubsub", async ({ iq, payload, context }) => {
    // With a separate pubsub host, the register host takes no publishes (royneary's topology).
    const to = iq.attrs.to;
    if (typeof to === "string" && domainOf(to) !== context.pubsubHost) {
      throw new PushError("service-unavailable", `publishes go to ${context.pubsubHost}`, { type: "cancel" });
    }
    await publishNotification(context, iq, payload);
    return undefined;
  });

function defaultProviders(deliveries: Delivery[], now: () => number, limit: number): Record<string, PushProvider> {
  return Object.fromEntries(DEFAULT_PROVIDERS.map((name) => [name, createRecordingProvider(name, deliveries, now, limit)]));
}
