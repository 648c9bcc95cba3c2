import { flatString } from "../flat-string.js";
import { refusal } from "./iq-errors.js";
import type { AppRegistration } from "./types.js";

/**
 * The app server's registrations, by node, by owner and by owner + provider + device, so that
 * register, list and unregister cost the same however many registrations others hold. Stores
 * its own flat copies (a string cut from a parsed stanza would keep the whole stanza's text
 * alive) and hands out copies, so callers cannot change its state.
 */
export class RegistrationBook {
  readonly #byNode = new Map<string, AppRegistration>();
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
    const owned = this.#byOwner.get(owner);
    if (!owned || owned.length < this.#perOwner || this.#byNode.get(node)?.owner === owner) return;
    throw refusal("resource-constraint", `an account holds at most ${this.#perOwner} registrations here`, { type: "wait" });
  }

  get(node: string): AppRegistration | undefined {
    const registration = this.#byNode.get(node);
    return registration && copyRegistration(registration);
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

  put(registration: AppRegistration): void {
    this.checkRoom(registration.owner, registration.node);
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

  delete(node: string): AppRegistration | undefined {
    const registration = this.#byNode.get(node);
    if (!registration) return undefined;
    this.#byNode.delete(node);
    this.#unindex(registration, undefined);
    return registration;
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
