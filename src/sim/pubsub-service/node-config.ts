import { type DataForm, type Element, formValues, NS, parseForm } from "../../protocol/index.js";
import { pubsubError } from "./errors.js";
import type { AccessModel, NodeType, PublishModel } from "./types.js";

const ACCESS_MODELS: readonly AccessModel[] = ["open", "presence", "roster", "authorize", "whitelist"];
const PUBLISH_MODELS: readonly PublishModel[] = ["publishers", "subscribers", "open"];

export interface NodeConfig {
  accessModel: AccessModel;
  publishModel: PublishModel;
  fields: Record<string, string[]>;
}

/**
 * The defaults of a new node. A push node starts as MongooseIM's node_push does (access model
 * `whitelist`, publish model `open`); MongooseIM's client-side guide asks clients to configure
 * `publishers`.
 */
export function defaultConfig(type: NodeType): NodeConfig {
  return type === "push" ? { accessModel: "whitelist", publishModel: "open", fields: {} } : { accessModel: "open", publishModel: "publishers", fields: {} };
}

/** XEP-0060 §8.1.3: the `<configure>` of a create, a submit form of FORM_TYPE pubsub#node_config. */
export function parseConfigure(configure: Element | undefined, type: NodeType): NodeConfig {
  const config = defaultConfig(type);
  const x = configure?.getChild("x", NS.dataForms);
  if (!x) return config;
  const form: DataForm = parseForm(x);
  if (form.type !== "submit" || form.formType !== NS.nodeConfig) {
    throw pubsubError("bad-request", `the node configuration must be a submit form of FORM_TYPE ${NS.nodeConfig}`);
  }
  const fields = formValues(form);
  delete fields.FORM_TYPE;
  const access = single(fields, "pubsub#access_model");
  if (access !== undefined) config.accessModel = oneOf(access, ACCESS_MODELS, "pubsub#access_model");
  const publish = single(fields, "pubsub#publish_model");
  if (publish !== undefined) config.publishModel = oneOf(publish, PUBLISH_MODELS, "pubsub#publish_model");
  config.fields = fields;
  return config;
}

function single(fields: Record<string, string[]>, name: string): string | undefined {
  return fields[name]?.[0];
}

/** XEP-0060 §8.2.5: a configuration value the service cannot take is `not-acceptable`. */
function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw pubsubError("not-acceptable", `${field} cannot be '${value}'`);
  return value as T;
}
