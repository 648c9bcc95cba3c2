import { type Element, NS, parseNotification, parsePublish, publishOptionValues, type Summary } from "../../protocol/index.js";
import type { AppServer, PushRegistration, XmppServer } from "../../sim/index.js";
import type { LineFields, WriteLine } from "./json-lines.js";

/**
 * Logs every hop of the push chain as one line. `account` is always the user's bare JID, `node`
 * the pubsub node that ties an enable, its publishes and their delivery together. Passwords and
 * publish-options secrets are never written (only the names of the publish-options fields);
 * device tokens are, since the recording providers identify deliveries by them.
 */
export function logHops(server: XmppServer, appServer: AppServer | undefined, write: WriteLine): void {
  server.on("online", (jid) => write("online", { jid }));
  server.on("offline", (jid) => write("offline", { jid }));
  server.on("hibernated", (jid) => write("hibernated", { jid }));
  server.on("resumed", (jid) => write("resumed", { jid }));
  server.on("stored", (account, message) => write("stored", { account, from: message.attrs.from, id: message.attrs.id }));
  server.on("enabled", (registration) =>
    write("enabled", { ...registrationFields(registration), publishOptionFields: publishOptionFields(registration.publishOptions) }),
  );
  server.on("disabled", (registration) => write("disabled", registrationFields(registration)));
  server.on("published", (registration, publish) =>
    write("published", { ...registrationFields(registration), from: publish.attrs.from, id: publish.attrs.id, summary: summaryOf(publish) }),
  );
  server.on("publish-result", (registration) => write("publish-result", registrationFields(registration)));
  server.on("publish-error", (registration, error, removed) =>
    write("publish-error", { ...registrationFields(registration), condition: error.condition, type: error.type, removed }),
  );
  // A bug in the server, never an effect of bad input: a line a test can look for.
  server.on("internal-error", (error, stanza) =>
    write("internal-error", { message: error instanceof Error ? error.message : String(error), stanza: stanza?.name }),
  );
  if (!appServer) return;

  const at = appServer.jid;
  appServer.on("registered", (registration) =>
    write("registered", {
      appServer: at,
      account: registration.owner,
      provider: registration.provider,
      deviceId: registration.deviceId,
      deviceName: registration.deviceName,
      node: registration.node,
      token: registration.token,
    }),
  );
  appServer.on("unregistered", (registration) =>
    write("unregistered", { appServer: at, account: registration.owner, provider: registration.provider, deviceId: registration.deviceId, node: registration.node }),
  );
  appServer.on("delivered", (delivery) =>
    write("delivered", {
      appServer: at,
      account: delivery.owner,
      provider: delivery.provider,
      token: delivery.token,
      node: delivery.node,
      deviceId: delivery.deviceId,
      summary: delivery.summary,
    }),
  );
  appServer.on("rejected", (rejected) => write("rejected", { appServer: at, node: rejected.node, from: rejected.from, condition: rejected.condition }));
}

function registrationFields(registration: PushRegistration): LineFields {
  return { account: registration.account, jid: registration.jid, node: registration.node };
}

function publishOptionFields(publishOptions: Element | undefined): string[] {
  if (!publishOptions) return [];
  return Object.keys(publishOptionValues(publishOptions)).filter((name) => name !== "FORM_TYPE");
}

/** The summary the server put in its publish, read back as the app server reads it. */
function summaryOf(publish: Element): Summary | undefined {
  const pubsub = publish.getChild("pubsub", NS.pubsub);
  if (!pubsub) return undefined;
  const { payload } = parsePublish(pubsub);
  return payload ? parseNotification(payload).summary : undefined;
}
