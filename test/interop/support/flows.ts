import { type Client, xml } from "@xmpp/client";
import { type Element, PushClient, type Registration } from "../../../src/index.js";
import type { Delivery } from "../../../src/sim/index.js";
import { DOMAIN, PUSH_JID } from "../shared.js";
import type { Target } from "./target.js";
import { waitFor, withTimeout } from "./wait.js";

export interface Device {
  xmpp: Client;
  push: PushClient;
  registration: Registration;
}

export const jidOf = (username: string): string => `${username}@${DOMAIN}`;

/** A client of `username` that registered at the app server and enabled push (with another secret if given). */
export async function enabledDevice(
  target: Target,
  username: string,
  resource: string,
  options: { token?: string; secret?: string; streamManagementFix?: false } = {},
): Promise<Device> {
  const xmpp = await target.connect(username, resource);
  const push = new PushClient(xmpp, { timeout: 10_000, reenable: false, ...(options.streamManagementFix === false ? { streamManagementFix: false } : {}) });
  const token = options.token ?? `${username}-${resource}-token`;
  const registration = await push.register({ appServer: PUSH_JID, provider: "fcm", token, deviceId: resource });
  const publishOptions = options.secret === undefined ? registration.publishOptions : { secret: options.secret };
  await push.enable({ jid: registration.jid, node: registration.node, publishOptions });
  return { xmpp, push, registration };
}

/** Ends the session cleanly; the server has closed its side when this resolves. */
export async function goOffline(device: { xmpp: Client }): Promise<void> {
  await withTimeout(device.xmpp.stop(), 5_000, "logout");
}

export function chat(to: string, body?: string, ...children: Element[]): Element {
  return xml("message", { to, type: "chat" }, ...(body === undefined ? [] : [xml("body", {}, body)]), ...children);
}

export function deliveriesTo(target: Target, node: string): Delivery[] {
  return target.appServer.deliveries.filter((delivery) => delivery.node === node);
}

/** Waits until `node` has had `count` deliveries in all. */
export async function deliveredTo(target: Target, node: string, count: number): Promise<Delivery[]> {
  await waitFor(() => deliveriesTo(target, node).length >= count, `${count} deliveries to ${node.slice(0, 8)}…`, 15_000);
  return deliveriesTo(target, node);
}

/**
 * carol with push enabled and offline. A message from alice to carol, once delivered, proves the
 * server has handled everything alice sent before it: a server handles one sender's stanzas in
 * order and a link's stanzas in order. That is how the suite checks that something did NOT happen.
 */
export class Sentinel {
  private constructor(
    private readonly target: Target,
    readonly node: string,
  ) {}

  static async create(target: Target): Promise<Sentinel> {
    const carol = await enabledDevice(target, "carol", "sentinel");
    await goOffline(carol);
    return new Sentinel(target, carol.registration.node);
  }

  async pass(alice: Client): Promise<void> {
    const before = deliveriesTo(this.target, this.node).length;
    await alice.send(chat(jidOf("carol"), "sentinel"));
    await deliveredTo(this.target, this.node, before + 1);
  }
}

/** Removes every push registration bob and carol still have at the server, so each scenario starts clean. */
export async function resetAccounts(target: Target): Promise<void> {
  for (const username of ["bob", "carol"]) {
    const xmpp = await target.connect(username, "reset");
    const push = new PushClient(xmpp, { timeout: 10_000, reenable: false });
    await push.disable({ jid: PUSH_JID });
    await withTimeout(xmpp.stop(), 5_000, "logout");
  }
}

/** A clean start with a sentinel and alice online. */
export async function prepare(target: Target): Promise<{ sentinel: Sentinel; alice: Client }> {
  await resetAccounts(target);
  target.clearRecords();
  const sentinel = await Sentinel.create(target);
  const alice = await target.connect("alice", "laptop");
  return { sentinel, alice };
}
