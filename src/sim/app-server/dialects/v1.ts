import {
  attr,
  buildCommandResponse,
  type DataForm,
  type Element,
  formValues,
  getValue,
  getValues,
  type Jid,
  NS,
  PushError,
  randomHex,
} from "../../../protocol/index.js";
import type { AppServerContext } from "../context.js";
import { refusal } from "../iq-errors.js";
import type { AppRegistration, AppServerOptions } from "../types.js";
import type { AppServerDialect, DialectCommandRequest, DialectPublish } from "./types.js";

// tmolitor-stud-tu/mod_push_appserver mod_push_appserver/mod_push_appserver.lua and
// zthrottle.lib.lua at 1c6472e1bf8971e8ec04f18e0bd4866a6cc8ccc3 (docs/conformance.md V1-*).
const REGISTER = "v1-register-push";
const UNREGISTER = "v1-unregister-push";
/** `push_appserver_rate_limit`: 5 seconds. */
export const DEFAULT_V1_RATE_LIMIT = 5_000;

/**
 * mod_push_appserver's XEP-0050 API (V1-1…V1-10). A registration is keyed by its node alone,
 * the device id the client chose: whoever names a node and its type may re-register or
 * unregister it, as there. Its result status is `complete` (sic) and its forms are of type `form`.
 */
export function createV1Dialect(options: AppServerOptions): AppServerDialect {
  const throttle = new Throttle(options.v1RateLimit ?? DEFAULT_V1_RATE_LIMIT);
  return {
    name: "v1",
    commands: () => [
      { node: REGISTER, name: "Register a push device (v1)" },
      { node: UNREGISTER, name: "Unregister a push device (v1)" },
    ],
    handles: (node) => node === REGISTER || node === UNREGISTER,
    execute,
    publish: {
      accept: (publish) => throttle.admit(publish.context, acceptPublish(publish)),
      failed: (context, message, failure) => {
        // V1-8: FCM's NotRegistered unregisters the node by its token; every failure is a wait error.
        if (failure.reason === "token-invalid") forget(context, message.registration);
        return refusal("internal-server-error", "the push handler failed", { type: "wait" });
      },
    },
  };
}

/** V1-2: only `action='execute'` with a form is handled; Prosody answers anything else `service-unavailable`. */
async function execute({ context, iq, requester, request }: DialectCommandRequest): Promise<Element> {
  const command = iq.getChild("command", NS.commands);
  if (!command || attr(command, "action") !== "execute" || !request.form) {
    throw refusal("service-unavailable", "no handler for this command", { type: "cancel" });
  }
  return request.node === REGISTER ? register(context, requester, request.form) : unregister(context, request.form);
}

/** V1-3/V1-4: the same node and type keep their secret and take the new token; another type gets a new secret. */
function register(context: AppServerContext, requester: Jid, form: DataForm): Element {
  const values = requiredValues(form, ["type", "node", "token"]);
  const existing = context.registrations.get(values.node);
  const kept = existing?.dialect === "v1" && existing.provider === values.type ? existing : undefined;
  const registration: AppRegistration = {
    owner: requester.bare().toString(),
    provider: values.type,
    deviceId: values.node,
    dialect: "v1",
    token: values.token,
    node: values.node,
    // There HMAC-SHA256(type:token@node) keyed with os.clock(), as hex: 256 bits no client can derive.
    secret: kept?.secret ?? randomHex(32),
    fields: formValues(form),
    createdAt: kept?.createdAt ?? context.now(),
  };
  context.registrations.put(registration);
  context.notify("registered", registration);
  return complete(REGISTER, [
    { var: "jid", type: "jid-single", values: [context.pubsubHost] },
    { var: "node", type: "text-single", values: [registration.node] },
    { var: "secret", type: "text-single", values: [registration.secret] },
  ]);
}

/** V1-5: removes the node when its type matches, and answers success either way, as there. */
function unregister(context: AppServerContext, form: DataForm): Element {
  const values = requiredValues(form, ["type", "node"]);
  const registration = context.registrations.get(values.node);
  if (registration?.dialect === "v1" && registration.provider === values.type) forget(context, registration);
  return complete(UNREGISTER, [
    { var: "jid", type: "jid-single", values: [context.pubsubHost] },
    { var: "node", type: "text-single", values: [values.node] },
  ]);
}

function forget(context: AppServerContext, registration: AppRegistration): void {
  if (!context.registrations.delete(registration.node)) return;
  context.notify("unregistered", registration);
}

/** V1-6: a field missing or given twice fails util.dataforms, answered `modify/not-acceptable`. */
function requiredValues<Name extends string>(form: DataForm, names: readonly Name[]): Record<Name, string> {
  const values = {} as Record<Name, string>;
  for (const name of names) {
    const value = getValue(form, name);
    if (value === undefined || value === "" || getValues(form, name).length > 1) {
      throw refusal("not-acceptable", "Unknown command data", { type: "modify" });
    }
    values[name] = value;
  }
  return values;
}

function complete(node: string, fields: DataForm["fields"]): Element {
  const command = buildCommandResponse({ node, status: "completed", sessionid: randomHex(8), notes: [], form: { type: "form", fields } });
  command.attrs.status = "complete";
  return command;
}

/** V1-7: no publisher check; missing publish-options, node or secret, an unknown node or a wrong secret are all `cancel/item-not-found`. */
function acceptPublish({ publish, registration }: DialectPublish): AppRegistration {
  const secret = publish.publishOptions && getValue(publish.publishOptions, "secret");
  if (secret === undefined || secret === "") throw refusal("item-not-found", "Node and/or secret missing", { type: "cancel" });
  if (!registration || registration.dialect !== "v1" || secret !== registration.secret) {
    throw refusal("item-not-found", "Unknown node or secret", { type: "cancel" });
  }
  return registration;
}

/**
 * V1-9, zthrottle: per node, the first push of a window goes at once; the next one waits for the
 * window's end (its publish is answered then); any further one while that waits is refused
 * `wait/resource-constraint`.
 */
export class Throttle {
  readonly #distance: number;
  /** Each node's last push, oldest first: a node whose window has passed is forgotten, so nodes gone long ago leave nothing. */
  readonly #lastCall = new Map<string, number>();
  readonly #waiting = new Set<string>();

  constructor(distance: number) {
    this.#distance = distance;
  }

  admit(context: AppServerContext, registration: AppRegistration): Promise<AppRegistration> {
    const node = registration.node;
    const now = context.now();
    this.#forgetPassed(now);
    const last = this.#lastCall.get(node);
    if (last === undefined || now > last + this.#distance) {
      this.#called(node, now);
      return Promise.resolve(registration);
    }
    if (this.#waiting.has(node)) return Promise.reject(rateLimited());
    this.#waiting.add(node);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(node);
        this.#called(node, context.now());
        resolve(registration);
      }, last + this.#distance - now);
      // A push held back must not keep a test process or a CLI alive.
      (timer as { unref?: () => void }).unref?.();
    });
  }

  /** A node whose window has passed is forgotten: exactly as one never seen (a waiting one is kept for its timer). */
  #forgetPassed(now: number): void {
    for (const [node, last] of this.#lastCall) {
      if (now <= last + this.#distance || this.#waiting.has(node)) return;
      this.#lastCall.delete(node);
    }
  }

  #called(node: string, at: number): void {
    this.#lastCall.delete(node);
    this.#lastCall.set(node, at);
  }

  /** How many nodes it remembers (for tests of its bound). */
  get size(): number {
    return this.#lastCall.size;
  }
}

function rateLimited(): PushError {
  return refusal("resource-constraint", "Ratelimit reached", { type: "wait" });
}
