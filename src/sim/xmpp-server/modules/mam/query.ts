import { bareJid, type Element, NS, parseForm, PushError } from "../../../../protocol/index.js";
import type { ArchivedMessage } from "./archive.js";

export const NS_MAM = "urn:xmpp:mam:2";
export const NS_RSM = "http://jabber.org/protocol/rsm";
/** mod_mam's page sizes: 20 unless asked, never more than 50 (`max_archive_query_results`). */
const DEFAULT_MAX = 20;
const MAX_MAX = 50;

/** An XEP-0313 query: the data form's filters and the XEP-0059 set. */
export interface ArchiveQuery {
  readonly with: string | undefined;
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly max: number;
  readonly after: string | undefined;
  /** An id, or "" for the last page (XEP-0059 §2.5). */
  readonly before: string | undefined;
}

export interface ArchivePage {
  /** Oldest first, whichever way the page was taken. */
  readonly items: readonly ArchivedMessage[];
  /** No more items past this page in the direction of the query. */
  readonly complete: boolean;
  /** Items matching the filters, over all pages. */
  readonly count: number;
}

/** Reads `<query xmlns='urn:xmpp:mam:2'>`; a bad form or set is `bad-request`. */
export function parseArchiveQuery(query: Element): ArchiveQuery {
  const x = query.getChild("x", NS.dataForms);
  const form = x ? parseForm(x) : undefined;
  if (form && form.formType !== NS_MAM) throw new PushError("bad-request", `Unexpected FORM_TYPE, expected '${NS_MAM}'`);
  const field = (name: string): string | undefined => form?.fields.find((entry) => entry.var === name)?.values[0];
  const set = query.getChild("set", NS_RSM);
  const max = set?.getChildText("max");
  const withJid = field("with");
  return {
    with: withJid ? bareJid(withJid).toLowerCase() : undefined,
    start: time(field("start"), "start"),
    end: time(field("end"), "end"),
    max: max === undefined || max === null ? DEFAULT_MAX : Math.min(count(max), MAX_MAX),
    after: set?.getChildText("after") ?? undefined,
    before: set?.getChild("before") ? (set.getChildText("before") ?? "") : undefined,
  };
}

/** The page a query asks for, as mod_mam answers it; an unknown `after`/`before` id is `item-not-found`. */
export function selectPage(items: readonly ArchivedMessage[], query: ArchiveQuery): ArchivePage {
  const matching = items.filter(
    (item) =>
      (query.with === undefined || item.with === query.with) &&
      (query.start === undefined || item.when >= query.start) &&
      (query.end === undefined || item.when <= query.end),
  );
  const from = query.after === undefined ? 0 : indexOf(matching, query.after) + 1;
  const to = query.before ? indexOf(matching, query.before) : matching.length;
  const window = matching.slice(from, Math.max(from, to));
  if (query.before !== undefined) {
    const page = window.slice(Math.max(0, window.length - query.max));
    return { items: page, complete: page.length === window.length, count: matching.length };
  }
  const page = window.slice(0, query.max);
  return { items: page, complete: page.length === window.length, count: matching.length };
}

function indexOf(items: readonly ArchivedMessage[], id: string): number {
  const at = items.findIndex((item) => item.id === id);
  if (at === -1) throw new PushError("item-not-found", `no archived message '${id}'`);
  return at;
}

function time(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new PushError("bad-request", `'${name}' is not an XEP-0082 date-time`);
  return parsed;
}

function count(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new PushError("bad-request", "RSM <max/> must be a non-negative integer");
  return parsed;
}
