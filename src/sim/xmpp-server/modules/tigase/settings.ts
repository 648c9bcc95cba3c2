import { type Element, PushError } from "../../../../protocol/index.js";
import type { ModuleHost, PushRegistrationInfo } from "../../module.js";

/** A refused `<enable/>` child: `modify/bad-request`, naming what is wrong. */
export function badEnable(text: string, stanza?: Element): PushError {
  return new PushError("bad-request", text, { type: "modify", ...(stanza ? { stanza } : {}) });
}

/** An `away`-like boolean attribute: "true"/"1" on, "false"/"0" or absent off, anything else refused. */
export function booleanAttribute(element: Element, name: string): boolean {
  const value = element.attrs[name] as unknown;
  if (value === undefined || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw badEnable(`${name}='${String(value)}' is not a boolean`, element);
}

/**
 * Advertises `xmlns` on the account and keeps, per registration, what `parse` makes of the
 * enable's `<name xmlns/>` child (Tigase's processEnableElement); `parse` throws to refuse it.
 */
export function enableChild<T>(host: ModuleHost, name: string, xmlns: string, parse: (child: Element) => T): WeakMap<PushRegistrationInfo, T> {
  const settings = new WeakMap<PushRegistrationInfo, T>();
  host.addFeature("account", xmlns);
  host.hook("cloud-notify/registration", ({ enable, registration }) => {
    const child = enable.getChild(name, xmlns);
    if (child) settings.set(registration, parse(child));
  });
  return settings;
}
