import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cloneElement, type Element, NS, parsePublish } from "../../../src/protocol/index.js";
import type { Note, ScenarioTitle, TargetName } from "../shared.js";
import { fixturesDir, notesFile } from "./env.js";

/** Records how a target behaved in a scenario, for the runner's table (`differs`) or report (`seen`). */
export function note(target: TargetName, scenario: ScenarioTitle, kind: Note["kind"], text: string): void {
  const entry: Note = { target, scenario, kind, text };
  appendFileSync(notesFile(), `${JSON.stringify(entry)}\n`);
}

/**
 * Writes a publish the app server received as a fixture. Only volatile values are replaced: the
 * IQ id by "ID", the node by "NODE", the publish-options secret by "SECRET"; the rest is the
 * received element serialized again (ltx keeps attribute order and text, not quote style).
 */
export function writePublishFixture(file: string, publish: Element, source: string): void {
  const copy = cloneElement(publish);
  copy.attrs.id = "ID";
  const pubsub = copy.getChild("pubsub", NS.pubsub);
  const item = pubsub?.getChild("publish");
  if (item) item.attrs.node = "NODE";
  const options = pubsub?.getChild("publish-options")?.getChild("x", NS.dataForms);
  for (const field of options?.getChildren("field") ?? []) {
    const value = field.attrs.var === "secret" ? field.getChild("value") : undefined;
    if (value) value.children = ["SECRET"];
  }
  if (pubsub) parsePublish(pubsub); // A fixture must stay a publish the parser accepts.
  const header = `<!-- ${source}; normalized: iq id → ID, publish node → NODE, secret → SECRET -->\n`;
  writeFileSync(join(fixturesDir(), file), `${header}${copy.toString()}\n`);
}
