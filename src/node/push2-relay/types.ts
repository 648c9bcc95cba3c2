import type { Listener, StanzaErrorCondition, StanzaErrorType } from "../../protocol/index.js";
import type { Component } from "../../sim/index.js";
import type { Fetch } from "../web-push/types.js";

/** What became of one notification. */
export type Push2RelayOutcome =
  /** The push service accepted it (2xx). */
  | "delivered"
  /** 404/410: the subscription is gone; the server is told to disable the registration (cancel). */
  | "gone"
  /** 429, 5xx, a network failure, a timeout or a full queue: the server is told to retry (wait). */
  | "retry"
  /** Anything else the push service or the relay refused (bad request, JWT, endpoint): not retried. */
  | "refused";

/**
 * One line of the relay's log. It names the endpoint's origin only (the path is the
 * subscription's capability) and nothing of the payload, which the relay cannot read anyway.
 */
export interface Push2RelayLogEntry {
  outcome: Push2RelayOutcome;
  /** The XMPP server that sent the notification. */
  from: string;
  /** The push service's origin, e.g. `https://fcm.googleapis.com`; undefined when `<client/>` is no URL. */
  origin: string | undefined;
  /** The push service's HTTP status; undefined when no answer came. */
  status: number | undefined;
  /** The error sent back to the server, if any. */
  error?: { type: StanzaErrorType; condition: StanzaErrorCondition };
  /** ms from arrival to outcome. */
  ms: number;
  /** Why, for a failure: the status line or the network error, never the payload. */
  reason?: string;
}

export interface Push2RelayOptions {
  /** The relay's domain, e.g. `relay.example.net`: the `<service/>` clients name in their enable. */
  jid: string;
  /** Only notifications from these server domains are taken; others get `cancel/forbidden`. Default: any. */
  servers?: readonly string[];
  /** Which `<client/>` endpoints may be POSTed to. Default: `https:` URLs only (`http:` would let anyone aim the relay at plain-text hosts). */
  allowEndpoint?: (url: URL) => boolean;
  /** Seconds the push service keeps an undelivered push (`TTL`). Default 86 400. */
  ttl?: number;
  /** Requests at once. Default 16. */
  maxConcurrent?: number;
  /** Notifications waiting for a free slot; past this a notification gets `wait/resource-constraint`. Default 1000. */
  maxQueue?: number;
  /** ms one POST may take, answer included. Default 10 000. */
  timeout?: number;
  /**
   * A fetch to POST with (a proxy's, a test's). By default the relay POSTs with the Web Push
   * provider's own HTTP/1.1 client: kept-alive connections, at most `maxConcurrent` per origin.
   */
  fetch?: Fetch;
  /** Called once per notification with its outcome; nothing else is logged. */
  log?: (entry: Push2RelayLogEntry) => void;
}

export type Push2RelayEvents = {
  /** Every notification's outcome, as the log gets it. */
  outcome: [Push2RelayLogEntry];
};

/** What the relay holds right now: counts only, it keeps no notification once answered. */
export interface Push2RelayState {
  inFlight: number;
  queued: number;
  delivered: number;
  gone: number;
  retry: number;
  refused: number;
}

/** A Push 2.0 relay: a component (attach it to the reference server, or link it with `connectComponent`). */
export interface Push2Relay extends Component {
  state(): Push2RelayState;
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
  /** Stops taking notifications (they get `wait/service-unavailable`) and aborts the requests in flight. */
  close(): Promise<void>;
  on<Name extends keyof Push2RelayEvents>(name: Name, listener: Listener<Push2RelayEvents[Name]>): this;
  off<Name extends keyof Push2RelayEvents>(name: Name, listener: Listener<Push2RelayEvents[Name]>): this;
  once<Name extends keyof Push2RelayEvents>(name: Name, listener: Listener<Push2RelayEvents[Name]>): this;
}
