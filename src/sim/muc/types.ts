import type { Element } from "../../protocol/index.js";

/** A room member's standing (XEP-0045 §5.2), kept by bare JID. */
export type MucAffiliation = "owner" | "admin" | "member" | "outcast";

export interface MucServiceOptions {
  /** The service's domain, e.g. `conference.example.test`. */
  jid: string;
  /** The most rooms the service keeps; creating one more is refused (default 1000). */
  maxRooms?: number;
  /**
   * The most sessions in one room (default 100, XEP-0045 `muc#roomconfig_maxusers`): each
   * resource of a user counts, whether it has a nick of its own or shares one (M7).
   */
  maxOccupants?: number;
  /** Messages a room keeps and sends to a joining occupant (default 20, Prosody's `max_history_messages`). */
  maxHistory?: number;
  /** The most affiliations of one room (default 1000). */
  maxAffiliations?: number;
  /** New rooms admit members only (default false). */
  membersOnly?: boolean;
  /**
   * Prosody's mod_muc_offline_delivery with `muc_offline_delivery_default = true` (M4): a member
   * with a reserved nick who is not in the room gets each groupchat message at the bare JID.
   * Default false.
   */
  offlineDelivery?: boolean;
  /** XEP-0357 `<enable/>` at a room (M5). Default true. */
  roomPush?: boolean;
  /** XEP-0357 `<enable/>` at the service's domain, as Prosody's mod_muc_cloud_notify (M6). Default true. */
  domainPush?: boolean;
  /**
   * `last-message-body` of a push: the body, a fixed text for an important message
   * (mod_muc_cloud_notify's `push_notification_important_body`, default "New Message!"), or none (false).
   */
  pushBody?: true | string | false;
  /** `last-message-sender` (the occupant's room JID) in a push; default false. */
  pushSender?: boolean;
  /** Registrations one user may keep per room or at the domain (mod_muc_cloud_notify's `push_max_devices`, 5). */
  maxPushRegistrations?: number;
  /**
   * IQs between occupants (M10) the service relays at a time, waiting for their replies (default
   * 1000): one more is refused with `wait/resource-constraint`, and a request unanswered after a
   * minute is forgotten, so that occupants who never answer cannot grow the service.
   */
  maxRelayedIqs?: number;
  /**
   * How many pushes `pushes` keeps: past it the oldest is dropped, so a service running for days
   * stays bounded; `published` still fires for every push. A positive integer, or `Infinity`.
   * Default 10 000.
   */
  pushLimit?: number;
}

/** One push the service published: to whom, for which member, by which path. */
export interface MucPush {
  /** `room`: enable at the room (M5); `domain`: enable at the service (M6). */
  path: "room" | "domain";
  /** The member's bare JID. */
  member: string;
  room: string;
  /** The app server and node the member enabled. */
  jid: string;
  node: string;
  /** The publish IQ as sent. */
  publish: Element;
}

export type MucServiceEvents = {
  published: [push: MucPush];
  "publish-error": [push: MucPush, reply: Element];
  /** A groupchat message went to an absent member's bare JID (mod_muc_offline_delivery, M4). */
  "offline-delivery": [member: string, message: Element];
  /** A bug in a handler, caught: the stanza is dropped, the service goes on. */
  "internal-error": [error: unknown, stanza: Element];
};

/** A room as `MucService.room()` reports it. */
export interface MucRoomInfo {
  jid: string;
  subject: string;
  membersOnly: boolean;
  /** Occupants by nick: the full JID of each one's primary session (its oldest). */
  occupants: Record<string, string>;
  /** Occupants by nick: the full JIDs of all its sessions, oldest first (one user's resources sharing the nick). */
  sessions: Record<string, string[]>;
  /** Affiliations by bare JID, with the reserved nick where one was given. */
  affiliations: Record<string, { affiliation: MucAffiliation; nick?: string }>;
  /** Stored groupchat messages, oldest first. */
  history: readonly Element[];
}
