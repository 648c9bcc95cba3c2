import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Client, xml } from "@xmpp/client";
import { flexibleOfflineCount, prosodyOfflineCount } from "../../../bench/offline-depth.js";

/** One stored message as Prosody's util/datamanager writes it to a .list file (shape seen in a run's data directory). */
const entry = (body: string): string => `item({\n\t{\n\t\t${JSON.stringify(body)};\n\t\t["name"] = "body";\n\t};\n\t["name"] = "message";\n});\n`;

describe("bench prosodyOfflineCount reads Prosody's internal offline store", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("counts one per stored message, not the text item( inside a body", async () => {
    dir = await mkdtemp(join(tmpdir(), "offline-depth-"));
    await mkdir(join(dir, "localhost", "offline"), { recursive: true });
    await writeFile(join(dir, "localhost", "offline", "bob.list"), entry("1") + entry("see item(2)") + entry("3"));
    expect(await prosodyOfflineCount(dir, "localhost", "bob")).toBe(3);
  });

  it("an account with nothing stored has no file: 0", async () => {
    dir = await mkdtemp(join(tmpdir(), "offline-depth-"));
    expect(await prosodyOfflineCount(dir, "localhost", "carol")).toBe(0);
  });
});

/** A client whose every IQ is answered with `reply`; records what it was asked. */
function answering(reply: ReturnType<typeof xml>): { client: Client; asked: ReturnType<typeof xml>[] } {
  const asked: ReturnType<typeof xml>[] = [];
  const client = {
    iqCaller: {
      request: async (request: ReturnType<typeof xml>) => {
        asked.push(request);
        return reply;
      },
    },
  } as unknown as Client;
  return { client, asked };
}

describe("bench flexibleOfflineCount asks XEP-0013's disco#info node", () => {
  it("reads number_of_messages from the form, asking the offline node of the account", async () => {
    const form = xml(
      "x",
      { xmlns: "jabber:x:data", type: "result" },
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "http://jabber.org/protocol/offline")),
      xml("field", { var: "number_of_messages" }, xml("value", {}, "300")),
    );
    const { client, asked } = answering(xml("iq", { type: "result" }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info", node: "http://jabber.org/protocol/offline" }, form)));
    expect(await flexibleOfflineCount(client, "bob@localhost")).toBe(300);
    expect(asked[0]?.getChild("query")?.attrs).toEqual({ xmlns: "http://jabber.org/protocol/disco#info", node: "http://jabber.org/protocol/offline" });
  });

  it("a server without XEP-0013 answers no count: an error, not a zero", async () => {
    const { client } = answering(xml("iq", { type: "result" }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
    await expect(flexibleOfflineCount(client, "bob@localhost")).rejects.toThrow("bob@localhost: no number_of_messages");
  });
});
