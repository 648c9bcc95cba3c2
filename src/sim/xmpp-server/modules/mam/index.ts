import { bareJid, buildForm, cloneElement, type Element, NS, NS_FORWARD, xml } from "../../../../protocol/index.js";
import type { ServerModule } from "../../module.js";
import { type ArchivedMessage, MessageArchive } from "./archive.js";
import type { ResolvedMamOptions } from "./options.js";
import { type ArchivePage, NS_MAM, NS_RSM, parseArchiveQuery, selectPage } from "./query.js";
import { shouldStore } from "./should-store.js";

export type { MamOptions, ResolvedMamOptions } from "./options.js";
export { resolveMamOptions } from "./options.js";

const NS_SID = "urn:xmpp:sid:0";

export interface MamModule extends ServerModule {
  readonly name: "mam";
  /** The account's archive, oldest first. */
  archive(account: string): readonly ArchivedMessage[];
}

/**
 * XEP-0313 message archive management (Prosody's mod_mam, PT1): messages to and from each account
 * are archived, those to it stamped with an XEP-0359 `<stanza-id/>`, and each archived one
 * fires `archive-message-added` — where the push module pushes, as mod_cloud_notify does.
 */
export function mamModule(options: ResolvedMamOptions): MamModule {
  const archive = new MessageArchive(options.archiveItemLimit);
  return {
    name: "mam",
    archive: (account) => archive.list(account),
    load(host) {
      const store = (account: string, stanza: Element, withJid: string): ArchivedMessage | undefined => {
        if (!shouldStore(stanza)) return undefined;
        return archive.append(account, withoutOwnStanzaId(cloneElement(stanza), account), withJid, Date.now());
      };
      const incoming = ({ account, stanza }: { account: string; stanza: Element }): undefined => {
        // A <stanza-id/> claiming to be ours would be a forgery (mod_mam strips it).
        withoutOwnStanzaId(stanza, account);
        const item = store(account, stanza, bareJid(String(stanza.attrs.from ?? host.domain)).toLowerCase());
        if (!item) return undefined;
        stanza.append(xml("stanza-id", { xmlns: NS_SID, by: account, id: item.id }));
        host.fire("archive-message-added", { account, stanza, id: item.id });
        return undefined;
      };
      const outgoing = ({ session, stanza }: { session: { account: string | undefined }; stanza: Element }): undefined => {
        const account = session.account;
        if (!account) return undefined;
        const item = store(account, stanza, bareJid(String(stanza.attrs.to ?? account)).toLowerCase());
        if (item) host.fire("archive-message-added", { account, stanza: item.stanza, id: item.id });
        return undefined;
      };
      host.hook("message/bare", incoming);
      host.hook("message/full", incoming);
      host.hook("pre-message/bare", outgoing);
      host.hook("pre-message/full", outgoing);

      host.addFeature("account", NS_MAM);
      host.addFeature("account", NS_SID);
      host.handleIq("self", "get", NS_MAM, "query", () => xml("query", { xmlns: NS_MAM }, buildForm(QUERY_FORM)));
      host.handleIq("self", "set", NS_MAM, "query", ({ iq, payload, context }) => {
        const account = context.account ?? "";
        const page = selectPage(archive.list(account), parseArchiveQuery(payload));
        const queryId = payload.attrs.queryid as string | undefined;
        // The results go out before the IQ result that ends them (XEP-0313 §4.2).
        for (const item of page.items) host.route(resultMessage(iq, account, queryId, item));
        return fin(page);
      });
    },
  };
}

const QUERY_FORM = {
  type: "form",
  formType: NS_MAM,
  fields: [
    { var: "with", type: "jid-single", values: [] },
    { var: "start", type: "text-single", values: [] },
    { var: "end", type: "text-single", values: [] },
  ],
} as const satisfies Parameters<typeof buildForm>[0];

function resultMessage(iq: Element, account: string, queryId: string | undefined, item: ArchivedMessage): Element {
  const message = cloneElement(item.stanza);
  message.attrs.xmlns = NS.client;
  return xml(
    "message",
    { to: iq.attrs.from, from: account },
    xml("result", { xmlns: NS_MAM, queryid: queryId, id: item.id }, xml("forwarded", { xmlns: NS_FORWARD }, xml("delay", { xmlns: NS.delay, stamp: new Date(item.when).toISOString() }), message)),
  );
}

function fin(page: ArchivePage): Element {
  const first = page.items[0]?.id;
  const last = page.items.at(-1)?.id;
  return xml(
    "fin",
    { xmlns: NS_MAM, complete: page.complete ? "true" : undefined },
    xml("set", { xmlns: NS_RSM }, first === undefined ? null : xml("first", {}, first), last === undefined ? null : xml("last", {}, last), xml("count", {}, page.count)),
  );
}

function withoutOwnStanzaId(stanza: Element, account: string): Element {
  stanza.children = stanza.children.filter((child) => typeof child === "string" || !(child.is("stanza-id", NS_SID) && bareJid(String(child.attrs.by ?? "")).toLowerCase() === account && !String(child.attrs.by).includes("/")));
  return stanza;
}

