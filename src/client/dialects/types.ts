import type { DataForm, FieldValue } from "../../protocol/index.js";
import type { ListedRegistration, UnregisterOptions, WebPushSubscriptionJSON } from "../types.js";

export interface DialectRegisterInput {
  provider: string;
  token: string | WebPushSubscriptionJSON;
  deviceId: string;
  deviceName?: string;
  fields?: Record<string, string | string[]>;
}

/** One ad-hoc command to execute: its node and the values of its submit form. */
export interface CommandCall {
  node: string;
  values: Record<string, FieldValue | undefined>;
}

/** What registering gives back: where to enable. */
export interface RegisteredNode {
  jid: string;
  node: string;
  secret?: string;
}

/**
 * An app server's registration protocol: which ad-hoc commands to run with which fields, and how
 * to read their result forms.
 */
export interface Dialect {
  readonly name: string;
  /** Whether an app server offering these command nodes speaks this dialect. */
  matches(commandNodes: readonly string[]): boolean;
  /** The providers the offered commands name. */
  providers(commandNodes: readonly string[]): string[];
  register(input: DialectRegisterInput): CommandCall;
  /** Reads the completed command's form; no jid or node → `PushError('bad-response')` (C10). */
  parseRegistered(form: DataForm | undefined): RegisteredNode;
  list(): CommandCall;
  parseList(form: DataForm | undefined): ListedRegistration[];
  unregister(options: UnregisterOptions): CommandCall;
  /** The nodes the app server says it removed. */
  parseUnregistered(form: DataForm | undefined): string[];
}
