import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Client, xml } from "@xmpp/client";

const DISCO_INFO = "http://jabber.org/protocol/disco#info";
/** XEP-0013 (flexible offline message retrieval): disco#info on this node answers the number of stored messages. */
const OFFLINE_NODE = "http://jabber.org/protocol/offline";
const QUERY_TIMEOUT = 10_000;

/**
 * Messages Prosody holds offline for `username`, counted in its internal storage (Prosody's
 * util/datamanager writes one `item(...)` entry per message to data/<host>/offline/<user>.list).
 */
export async function prosodyOfflineCount(dataDir: string, domain: string, username: string): Promise<number> {
  // datamanager escapes every non-word character of host and user as %xx; the bench's names have none.
  const list = await readFile(join(dataDir, domain, "offline", `${username}.list`), "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  let count = 0;
  for (let at = list.indexOf("item("); at !== -1; at = list.indexOf("\nitem(", at + 1)) count++;
  return count;
}

/**
 * Messages the server holds offline for the logged-in account, asked over XEP-0013 (ejabberd's
 * mod_offline answers it; Prosody's does not). The client must not have sent initial presence,
 * or the server would have delivered them.
 */
export async function flexibleOfflineCount(client: Client, bareJid: string): Promise<number> {
  const reply = await client.iqCaller.request(xml("iq", { type: "get", to: bareJid }, xml("query", { xmlns: DISCO_INFO, node: OFFLINE_NODE })), QUERY_TIMEOUT);
  const form = reply.getChild("query", DISCO_INFO)?.getChild("x", "jabber:x:data");
  const field = form?.getChildren("field").find((candidate) => candidate.attrs.var === "number_of_messages");
  const text = field?.getChildText("value")?.trim();
  const count = text ? Number(text) : Number.NaN;
  if (!Number.isInteger(count) || count < 0) throw new Error(`${bareJid}: no number_of_messages in the XEP-0013 disco#info reply`);
  return count;
}
