import { flatString } from "../flat-string.js";
import { refusal } from "./iq-errors.js";
import type { AppRegistration } from "./types.js";

/**
 * The app server's registrations, by node, by owner and by owner + provider + device, so that
 * register, list and unregister cost the same however many registrations others hold. Stores
 * its own flat copies (a string cut from a parsed stanza would keep the whole stanza's text
 * alive) and hands out copies, so callers cannot change its state.
 *
 * A node holds one device, except where `putDevice` adds more: Tigase's node is the account's,
 * and holds every device the account registered (docs/notes/tigase-registrations.md).
 */
export class RegistrationBook {
  /** Each node's first device. */
  readonly #byNode = new Map<string, AppRegistration>();
  /** Every device of a node that holds more than one, in the order they came (only Tigase's nodes: most nodes pay nothing). */
  readonly #shared = new Map<string, AppRegistration[]>();
  /** Each owner's registrations, in the order they came (an owner has a few: an array is smaller than a map). */
  readonly #byOwner = new Map<string, AppRegistration[]>();
  /** The node of each owner's registration for a provider and device. */
  readonly #byDevice = new Map<string, string>();
  readonly #perOwner: number;

  /** `perOwner`: the most registrations one owner holds; another new one is refused (`put`, `checkRoom`). */
  constructor(perOwner = Number.POSITIVE_INFINITY) {
    this.#perOwner = perOwner;
  }

  /**
   * Throws `wait/resource-constraint` when `owner` holds `perOwner` registrations and `node` is
   * not one of them (as ejabberd's mod_offline answers a full queue): a device must unregister first.
   */
  checkRoom(owner: string, node: string): void {
    if (this.#byNode.get(node)?.owner === owner) return;
    this.#checkCount(owner);
  }

  /** The node's device; of a node that holds several, the first. */
  get(node: string): AppRegistration | undefined {
    const registration = this.#byNode.get(node);
    return registration && copyRegistration(registration);
  }

  /** Whether the node holds more than one device (a Tigase account's node): a check that copies nothing, for every publish. */
  holdsSeveral(node: string): boolean {
    return this.#shared.has(node);
  }

  /** Every device the node holds, in the order they came. */
  onNode(node: string): AppRegistration[] {
    return this.#devicesOn(node).map(copyRegistration);
  }

  /** One owner's registration for a provider and device, which a re-registration replaces (A4). */
  findDevice(owner: string, provider: string, deviceId: string): AppRegistration | undefined {
    const node = this.#byDevice.get(deviceKey(owner, provider, deviceId));
    return node === undefined ? undefined : this.get(node);
  }

  list(owner?: string): AppRegistration[] {
    const registrations = owner === undefined ? [...this.#byNode.values()] : (this.#byOwner.get(owner) ?? []);
    return registrations.map(copyRegistration);
  }

  /** Puts `registration` as its node's only device (a re-registration replaces the node's in place). */
  put(registration: AppRegistration): void {
    this.checkRoom(registration.owner, registration.node);
    if (this.#shared.has(registration.node)) this.delete(registration.node);
    const stored = storedCopy(registration);
    const previous = this.#byNode.get(stored.node);
    this.#byNode.set(stored.node, stored);
    if (previous) this.#unindex(previous, stored);
    let owned = this.#byOwner.get(stored.owner);
    if (!owned) this.#byOwner.set(stored.owner, (owned = []));
    // Put again, a node keeps its place in the owner's order.
    const at = owned.findIndex((other) => other.node === stored.node);
    if (at === -1) owned.push(stored);
    else owned[at] = stored;
    const key = deviceKey(stored.owner, stored.provider, stored.deviceId);
    if (!this.#byDevice.has(key)) this.#byDevice.set(key, stored.node);
  }

  /**
   * Adds `registration` to its node's devices, beside the others; the node's device of the same
   * provider and device id is replaced in place. A node holds one owner's devices only.
   */
  putDevice(registration: AppRegistration): void {
    const devices = this.#devicesOn(registration.node);
    if (devices.length === 0 || (devices.length === 1 && sameDevice(devices[0]!, registration))) return this.put(registration);
    if (devices[0]!.owner !== registration.owner) throw new Error(`node ${registration.node} is another owner's`);
    const at = devices.findIndex((device) => sameDevice(device, registration));
    if (at === -1) this.#checkCount(registration.owner);
    const stored = storedCopy(registration);
    const shared = [...devices];
    const owned = this.#byOwner.get(stored.owner)!;
    if (at === -1) {
      shared.push(stored);
      owned.push(stored);
    } else {
      owned[owned.indexOf(devices[at]!)] = stored;
      shared[at] = stored;
    }
    this.#shared.set(stored.node, shared);
    this.#byNode.set(stored.node, shared[0]!);
    const key = deviceKey(stored.owner, stored.provider, stored.deviceId);
    if (!this.#byDevice.has(key)) this.#byDevice.set(key, stored.node);
  }

  /** Removes every device of the node; answers the first. */
  delete(node: string): AppRegistration | undefined {
    const devices = this.#devicesOn(node);
    if (devices.length === 0) return undefined;
    this.#byNode.delete(node);
    this.#shared.delete(node);
    for (const device of devices) this.#unindex(device, undefined);
    return devices[0];
  }

  /** Removes one device of the node (by provider and device id), leaving its others. */
  deleteDevice(node: string, provider: string, deviceId: string): AppRegistration | undefined {
    const devices = this.#devicesOn(node);
    const removed = devices.find((device) => device.provider === provider && device.deviceId === deviceId);
    if (!removed) return undefined;
    if (devices.length === 1) return this.delete(node);
    const rest = devices.filter((device) => device !== removed);
    if (rest.length === 1) this.#shared.delete(node);
    else this.#shared.set(node, rest);
    this.#byNode.set(node, rest[0]!);
    this.#unindex(removed, undefined);
    return removed;
  }

  #devicesOn(node: string): AppRegistration[] {
    const shared = this.#shared.get(node);
    if (shared) return shared;
    const only = this.#byNode.get(node);
    return only ? [only] : [];
  }

  #checkCount(owner: string): void {
    if ((this.#byOwner.get(owner)?.length ?? 0) < this.#perOwner) return;
    throw refusal("resource-constraint", `an account holds at most ${this.#perOwner} registrations here`, { type: "wait" });
  }

  /** Takes `registration` out of the owner and device indexes, unless `replacement` (of the same node) keeps it there. */
  #unindex(registration: AppRegistration, replacement: AppRegistration | undefined): void {
    const owned = this.#byOwner.get(registration.owner);
    if (owned && replacement?.owner !== registration.owner) {
      owned.splice(owned.indexOf(registration), 1);
      if (owned.length === 0) this.#byOwner.delete(registration.owner);
    }
    const key = deviceKey(registration.owner, registration.provider, registration.deviceId);
    if (this.#byDevice.get(key) !== registration.node) return;
    if (replacement && deviceKey(replacement.owner, replacement.provider, replacement.deviceId) === key) return;
    this.#byDevice.delete(key);
    // Another registration of the same device (made through another dialect) takes its place.
    for (const other of owned ?? []) {
      if (other.node !== registration.node && other.provider === registration.provider && other.deviceId === registration.deviceId) {
        this.#byDevice.set(key, other.node);
        return;
      }
    }
  }
}

function sameDevice(one: AppRegistration, other: AppRegistration): boolean {
  return one.provider === other.provider && one.deviceId === other.deviceId;
}

function deviceKey(owner: string, provider: string, deviceId: string): string {
  // A newline is in no bare JID or provider name, so the key is unambiguous.
  return `${owner}\n${provider}\n${deviceId}`;
}

export function copyRegistration(registration: AppRegistration): AppRegistration {
  const fields: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(registration.fields)) fields[name] = [...values];
  return { ...registration, fields };
}

function storedCopy(registration: AppRegistration): AppRegistration {
  const stored: AppRegistration = {
    owner: flatString(registration.owner),
    provider: flatString(registration.provider),
    deviceId: flatString(registration.deviceId),
    token: flatString(registration.token),
    node: flatString(registration.node),
    secret: flatString(registration.secret),
    dialect: registration.dialect,
    fields: {},
    createdAt: registration.createdAt,
  };
  if (registration.deviceName !== undefined) stored.deviceName = flatString(registration.deviceName);
  // The form's token, device-id and device-name are the same text as the fields above: stored once.
  const shared = (value: string): string =>
    value === stored.token ? stored.token : value === stored.deviceId ? stored.deviceId : value === stored.deviceName ? stored.deviceName : flatString(value);
  for (const [name, values] of Object.entries(registration.fields)) stored.fields[name] = values.map(shared);
  return stored;
}
