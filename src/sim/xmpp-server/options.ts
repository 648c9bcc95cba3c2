import type { ServerModule } from "./module.js";
import type { MamOptions } from "./modules/mam/options.js";
import type { OfflineOptions } from "./modules/offline-options.js";
import type { PushOptions } from "./modules/push/options.js";
import type { Push2Options } from "./modules/push2/options.js";
import type { RosterOptions } from "./modules/roster-options.js";
import type { StreamManagementOptions } from "./modules/stream-management/options.js";
import type { Preset } from "./presets.js";

export interface XmppServerOptions {
  domain: string;
  /** Accounts: username → password. */
  users?: Record<string, string>;
  /** Behave like Prosody (mod_cloud_notify), ejabberd (mod_push) or MongooseIM where they differ. */
  preset?: Preset;
  push?: PushOptions;
  streamManagement?: StreamManagementOptions;
  /**
   * Offer XEP-0388 SASL2 with XEP-0386 Bind2 next to RFC 6120 SASL (modules `sasl2` and `bind2`,
   * like Prosody's mod_sasl2 and mod_sasl2_bind2). Default: the preset's — off in all of them, as
   * Prosody 0.12 and ejabberd 23.01 have neither; @xmpp/client 0.14 then always logs in with
   * SASL2 and gets a resource the server picks (`<resource>/<suffix>`).
   */
  sasl2?: boolean;
  /** Load Push 2.0 (`urn:xmpp:push2:0`, like prosody-modules' mod_push2; default off): true, or its options. */
  push2?: boolean | Push2Options;
  /** Offline message storage (module `offline`): how many messages may wait per account. */
  offline?: OfflineOptions;
  /** The roster (module `roster`): how many items one account may hold. */
  roster?: RosterOptions;
  /** Load XEP-0313 message archive management (Prosody's mod_mam; default off): true, or its options. */
  mam?: boolean | MamOptions;
  /**
   * The most characters one stanza may take (default 256 KiB, Prosody's `c2s_stanza_size_limit`).
   * A larger one ends the stream with `policy-violation` + `<stanza-too-big/>` as soon as the
   * limit is passed; the WebSocket listener caps its frames at the same size.
   */
  maxStanzaSize?: number;
  /**
   * The deepest element nesting in a stanza, the stanza itself being depth 1 (default 64). Real
   * stanzas stay far below: a MAM result carrying a forwarded message with XHTML-IM reaches
   * about 12. Unbounded nesting is what overflowed the stack in serialization and copying.
   */
  maxDepth?: number;
  /** How long a connection may take to authenticate before it is closed with `connection-timeout`, ms (default 30 000). */
  authTimeout?: number;
  /** More modules, loaded after the preset's: a feature of your own, written like the built-in ones. */
  modules?: readonly ServerModule[];
}

export interface ResolvedLimits {
  readonly maxStanzaSize: number;
  readonly maxDepth: number;
  readonly authTimeout: number;
}

export const DEFAULT_MAX_STANZA_SIZE = 256 * 1024;

export function resolveLimits(options: XmppServerOptions): ResolvedLimits {
  return {
    maxStanzaSize: positive(options.maxStanzaSize, DEFAULT_MAX_STANZA_SIZE, "maxStanzaSize"),
    maxDepth: positive(options.maxDepth, 64, "maxDepth"),
    authTimeout: positive(options.authTimeout, 30_000, "authTimeout"),
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
