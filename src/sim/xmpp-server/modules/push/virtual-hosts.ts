import { domainOf, type Element, PushError, publishOptionValues, type Summary } from "../../../../protocol/index.js";
import type { ModuleHost } from "../../module.js";
import type { PushRegistration, PushRegistry } from "./registry.js";

/** One notification for a virtual pubsub host, as MongooseIM's `push_notifications` hook gets it. */
export interface PushServiceNotification {
  /** The account the message was for (bare JID). */
  account: string;
  /** The registration's virtual pubsub host and node. */
  jid: string;
  node: string;
  summary: Summary;
  /** The enable's publish-options (MongoosePush reads `device_id`, `service`, `mode`, `topic`, …). */
  publishOptions: Record<string, string>;
}

/**
 * What the push service made of it: nothing (accepted) or an error. Only `device-not-registered`
 * disables the registration, as in MongooseIM's `publish_via_hook`; every other error keeps it.
 */
export type PushServiceOutcome = void | { error: string };

export type PushService = (notification: PushServiceNotification) => PushServiceOutcome | Promise<PushServiceOutcome>;

/**
 * Replaces the publishing (MongooseIM's plugin `publish_notification`): called once per message
 * that passed `shouldPublish`, with the account's registrations; nothing is published or routed.
 */
export type PublishNotification = (from: string, to: string, stanza: Element, registrations: readonly PushRegistration[]) => void;

/** The condition MongooseIM's push service hook answers for a device the platform no longer knows. */
export const DEVICE_NOT_REGISTERED = "device-not-registered";

export function isVirtualPubsubHost(virtualHosts: readonly string[], jid: string): boolean {
  return virtualHosts.length > 0 && virtualHosts.includes(domainOf(jid).toLowerCase());
}

/** PubSub-less: hands the notification to the push service in-process; no stanza is routed. */
export function pushInServer(
  host: ModuleHost,
  registry: PushRegistry,
  pushService: PushService | undefined,
  registration: PushRegistration,
  summary: Summary,
): void {
  const notification: PushServiceNotification = {
    account: registration.account,
    jid: registration.jid,
    node: registration.node,
    summary: structuredClone(summary),
    publishOptions: optionsOf(registration.publishOptions),
  };
  const answered = (outcome: PushServiceOutcome): void => {
    if (!outcome) {
      host.emit("publish-result", registration);
      return;
    }
    const disables = outcome.error === DEVICE_NOT_REGISTERED;
    const removed = disables && registry.remove(registration);
    host.emit("publish-error", registration, new PushError("undefined-condition", outcome.error, { type: disables ? "cancel" : "wait" }), removed);
  };
  let outcome: ReturnType<PushService>;
  try {
    outcome = pushService?.(notification);
  } catch (error) {
    answered({ error: describe(error) });
    return;
  }
  if (outcome instanceof Promise) outcome.then(answered, (error: unknown) => answered({ error: describe(error) }));
  else answered(outcome);
}

function optionsOf(x: Element | undefined): Record<string, string> {
  if (!x) return {};
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(publishOptionValues(x))) if (name !== "FORM_TYPE" && value !== undefined) values[name] = value;
  return values;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
