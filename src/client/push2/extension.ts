import { buildPush2Disable, type Element } from "../../protocol/index.js";
import type { RegistrationStore } from "../store/types.js";
import type { Registration } from "../types.js";
import { push2InlineRequest } from "./calls.js";
import { push2EnableOf, push2Registration, push2RegistrationId } from "./registration.js";
import type { Push2Registration, SubscribePush2Options } from "./types.js";

/**
 * Push 2.0 for `PushClient`, passed as `extensions: [push2]`: without it an app ships none of
 * this code, and `subscribePush2`, `enablePush2Inline` and a stored Push 2.0 registration are
 * `not-supported`.
 */
export interface Push2Extension {
  readonly name: "push2";
  /** The store key of the account's Push 2.0 registration. */
  registrationId(account: string): string;
  /** The registration `subscribePush2` stores (C24). */
  registration(account: string, options: SubscribePush2Options, stored: Registration | undefined): Promise<Registration>;
  /** `<enable xmlns='urn:xmpp:push2:0'>` of a stored registration. */
  enable(push2: Push2Registration): Element;
  /** `<disable xmlns='urn:xmpp:push2:0'/>` (C25). */
  disable(): Element;
  /** Bind2's inline request: the stored registration's enable, or nothing (C27). */
  inlineRequest(store: RegistrationStore, account: () => string | undefined, sent: (id: string) => void): () => Promise<Element | undefined>;
}

export const push2: Push2Extension = {
  name: "push2",
  registrationId: push2RegistrationId,
  registration: push2Registration,
  enable: push2EnableOf,
  disable: buildPush2Disable,
  inlineRequest: push2InlineRequest,
};
