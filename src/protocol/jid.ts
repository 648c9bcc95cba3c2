import { PushError } from "./errors.js";

/** Characters RFC 7622 §3.3.1 forbids in a localpart. */
const FORBIDDEN_IN_LOCAL = /["&'/:<>@\s]/;

/**
 * An address split per RFC 7622 §3.1: the resource is everything after the first `/`, the
 * localpart everything before an `@` ahead of it. Absent parts are "". Local and domain parts
 * are lower-cased (the ASCII part of their preparation profiles).
 */
export class Jid {
  constructor(
    readonly local: string,
    readonly domain: string,
    readonly resource: string,
  ) {}

  bare(): Jid {
    return this.resource ? new Jid(this.local, this.domain, "") : this;
  }

  toString(): string {
    const bare = this.local ? `${this.local}@${this.domain}` : this.domain;
    return this.resource ? `${bare}/${this.resource}` : bare;
  }
}

/**
 * Parses a JID; malformed input throws `PushError('jid-malformed')`. A plain splitter rather
 * than @xmpp/jid: routing parses every stanza's addresses, and its escaping detector dominated
 * the reference server's profile.
 */
export function toJid(value: string): Jid {
  const slash = value.indexOf("/");
  const address = slash === -1 ? value : value.slice(0, slash);
  const resource = slash === -1 ? "" : value.slice(slash + 1);
  const at = address.indexOf("@");
  const local = at === -1 ? "" : address.slice(0, at).toLowerCase();
  let domain = (at === -1 ? address : address.slice(at + 1)).toLowerCase();
  if (domain.endsWith(".")) domain = domain.slice(0, -1);

  const problem =
    domain === "" ? "no domainpart"
    : /[@/\s]/.test(domain) ? "a forbidden character in the domainpart"
    : at !== -1 && local === "" ? "an empty localpart"
    : FORBIDDEN_IN_LOCAL.test(local) ? "a forbidden character in the localpart"
    : slash !== -1 && resource === "" ? "an empty resourcepart"
    : local.length > 1023 || domain.length > 1023 || resource.length > 1023 ? "a part longer than 1023 bytes"
    : undefined;
  if (problem) {
    throw new PushError("jid-malformed", `'${value}' is not a valid JID: ${problem}`, { cause: new TypeError(problem) });
  }
  return new Jid(local, domain, resource);
}

export function bareJid(value: string): string {
  return toJid(value).bare().toString();
}

export function domainOf(value: string): string {
  return toJid(value).domain;
}
