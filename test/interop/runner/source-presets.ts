// The presets no server here can run: what each models, from which source and version. The
// interop table lists them so a reader sees which columns were measured and which were read.

export interface SourcePreset {
  preset: string;
  models: string;
  source: string;
  checked: string;
}

export const SOURCE_PRESETS: readonly SourcePreset[] = [
  {
    preset: "mongooseim",
    models: "MongooseIM mod_event_pusher_push: PubSub-full (a push node at a pubsub service) and PubSub-less (`virtual_pubsub_hosts`)",
    source:
      "esl/MongooseIM 6.8.0-38-g475087c6e: `src/event_pusher/mod_event_pusher_push_plugin_defaults.erl` (publish from the recipient's domain, bare-JID sender, disable only on `cancel`; PubSub-less only on `device_not_registered`), `src/pubsub_old/node_push.erl`; seeds 002 and 004",
    checked: "integration tests in `test/integration/mongooseim/` against `createPubsubService` and the SDK's `mongooseim` dialect",
  },
  {
    preset: "royneary",
    models: "royneary mod_push (ejabberd, 2015): per-user `urn:xmpp:push:options`, offline subscription requests counted and pushed, push users hibernated for 100 days, register host and pubsub host",
    source: "royneary/mod_push README and `src/mod_push.erl` at d43e9c6; seeds 000 and 001",
    checked: "integration tests in `test/integration/royneary/`",
  },
  {
    preset: "tigase",
    models:
      "tigase-server's push (`tigase.xmpp.impl.push`): publish from the domain, full-JID sender and real body; the extensions encrypt (AES-128-GCM JSON payload, trimmed to `max-size`), ignore-unknown, muted, groupchat, away, priority, jingle",
    source: "tigase/tigase-server 6e5d3b7fc: `AbstractPushNotifications.java`, `EncryptedPushNotificationExtension.java`, the filters and extensions beside it",
    checked: "integration tests in `test/integration/tigase/`",
  },
];

export function renderSourcePresets(presets: readonly SourcePreset[] = SOURCE_PRESETS): string[] {
  return [
    "## Presets modelled from sources",
    "",
    "No server of these runs here: their presets follow the sources named, and the reference server's own tests check them.",
    "",
    "| preset | models | source and version | checked by |",
    "|---|---|---|---|",
    ...presets.map(({ preset, models, source, checked }) => `| \`${preset}\` | ${models} | ${source} | ${checked} |`),
    "",
  ];
}
