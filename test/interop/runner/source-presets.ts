// What no server here runs: presets, app server dialects and MUC push paths, what each models,
// from which source and version. The interop table lists them so a reader sees which behaviours
// were measured against a running server and which were read from sources.

export interface SourceModel {
  /** A preset of the reference server, a dialect of the app server and SDK, or a MUC push path. */
  subject: string;
  models: string;
  /** Repository and commit (or release), the files read, and the conformance rows. */
  source: string;
  /** Whether a running server answered any of it here, and why not. */
  running: string;
  checked: string;
}

const NO_SERVER = "none: no such server runs here";
const MUC_MODULES_MISSING =
  "none: the Debian prosody-modules here (0.0~hg20230223) ships mod_cloud_notify but neither mod_muc_offline_delivery nor mod_muc_cloud_notify, and the suite has no MUC scenario";

export const SOURCE_MODELS: readonly SourceModel[] = [
  {
    subject: "preset `mongooseim`",
    models: "MongooseIM mod_event_pusher_push: PubSub-full (a push node at a pubsub service) and PubSub-less (`virtual_pubsub_hosts`)",
    source:
      "esl/MongooseIM 6.8.0-38-g475087c6e: `src/event_pusher/mod_event_pusher_push_plugin_defaults.erl` (publish from the recipient's domain, bare-JID sender, disable only on `cancel`; PubSub-less only on `device_not_registered`), `src/pubsub_old/node_push.erl`; seeds 002 and 004; MG rows",
    running: NO_SERVER,
    checked: "integration tests in `test/integration/mongooseim/` against `createPubsubService` and the SDK's `mongooseim` dialect",
  },
  {
    subject: "preset `royneary`",
    models: "royneary mod_push (ejabberd, 2015): per-user `urn:xmpp:push:options`, offline subscription requests counted and pushed, push users hibernated for 100 days, register host and pubsub host",
    source: "royneary/mod_push README and `src/mod_push.erl` at d43e9c6; seeds 000 and 001; R rows",
    running: "none: the ejabberd that runs here has its own mod_push, not royneary's",
    checked: "integration tests in `test/integration/royneary/`",
  },
  {
    subject: "preset `tigase`",
    models:
      "tigase-server's push (`tigase.xmpp.impl.push`): publish from the domain, full-JID sender and real body; the extensions encrypt (AES-128-GCM JSON payload, trimmed to `max-size`), ignore-unknown, muted, groupchat, away, priority, jingle",
    source: "tigase/tigase-server 6e5d3b7fc: `AbstractPushNotifications.java`, `EncryptedPushNotificationExtension.java`, the filters and extensions beside it; TS rows",
    running: NO_SERVER,
    checked: "integration tests in `test/integration/tigase/`; fuzzing of the enable extensions in `test/fuzz/tigase-enable-property.ts`",
  },
  {
    subject: "dialect `p2`",
    models:
      "Conversations' app server: `register-push-<service>` / `unregister-push-<service>` in one stage, node and secret of p2's lengths, a room's channel (`muc`), publisher checked against the account's domain, bare error conditions. p2 answers no disco: the simulator's listing of its commands is ours",
    source: "iNPUTmice/p2 8b83fd5c (2023-03-28): `PushController.java`, `pojo/Target.java`, `persistance/TargetStore.java`, `fcm/FcmPushService.java`; P2-1…P2-9; exchanges written from the source in `test/fixtures/p2/`",
    running: "none: p2 (a Java service with FCM/APNs credentials) does not run here",
    checked: "`test/unit/app-server/p2-recorded.test.ts`, `test/integration/dialects/p2.test.ts`; fuzzing in `test/fuzz/app-server-properties.ts`",
  },
  {
    subject: "dialect `v1`",
    models:
      "mod_push_appserver's XEP-0050 API: `v1-register-push` / `v1-unregister-push`, status `complete`, the node chosen by the client, no publisher check, a per-node throttle (`wait/resource-constraint`)",
    source:
      "tmolitor-stud-tu/mod_push_appserver 1c6472e1 (2022-02-09, the last commit before the repository was deactivated): `mod_push_appserver.lua`, `zthrottle.lib.lua`, `mod_push_appserver_fcm.lua`; V1-1…V1-10; exchanges in `test/fixtures/v1/`. At that commit the command dispatch is inverted (a register reaches the unregister handler): the model follows the handlers' intent",
    running: "none: mod_push_appserver is not in the Debian prosody-modules installed here",
    checked: "`test/unit/app-server/v1-recorded.test.ts`, `test/integration/dialects/v1.test.ts`; fuzzing in `test/fuzz/app-server-properties.ts`",
  },
  {
    subject: "dialect `tigase`",
    models:
      "Tigase's push component as TigaseSwift talks to it: `findPushComponent`, `register-device` / `unregister-device` (the node is the capability, no secret), the `tigase:push:*` enable extensions, `<encrypted>` passed to the provider untouched, `decryptNotification`",
    source:
      "tigase/tigase-swift f1f2599e `TigasePushNotificationsModule.swift`, tigase/tigase-server 6e5d3b7f `EncryptedPushNotificationExtension`, `AbstractPushNotifications`, tigase/siskin-im 48447bc8 `NotificationService.swift`; tigase/tigase-extras 087a9430 `MongoPushRepository.java` (the component's repository: one node per account, T16; what Siskin IM and Stork do with it, T17; docs/notes/tigase-registrations.md); T1–T17; stanzas in `test/fixtures/tigase/`. The component itself (tigase-push) could not be read here: where TigaseSwift and the repository do not decide, its answers are ours",
    running: NO_SERVER,
    checked:
      "`test/unit/tigase-dialect.test.ts`, `test/unit/tigase-push.test.ts`, `test/unit/decrypt-notification.test.ts`, `test/integration/dialects/tigase.test.ts`; fuzzing in `test/fuzz/tigase-parser-property.ts`",
  },
  {
    subject: "MUC service (M1–M3, M7–M11)",
    models: "`createMucService`: join, leave, nicks (conflicts, changes, one user's resources as one occupant with several sessions), groupchat and private messages, IQs relayed between occupants, sessions kicked on bounced errors, history, affiliations, members-only, disco; bounded (rooms, sessions, history, affiliations, relayed IQs)",
    source: "XEP-0045 1.34; Prosody 0.12.3 `modules/muc/` (Debian prosody 0.12.3-1+deb12u1) where servers choose; M1–M3, M7–M11",
    running: "none: Prosody 0.12.3 runs the scenarios above here, but the suite has no MUC scenario",
    checked: "`test/integration/muc/service.test.ts`, `test/integration/muc/sessions.test.ts`, `test/integration/muc/nick-change.test.ts`, `test/integration/muc/occupant-iq.test.ts`, `test/integration/muc/kick.test.ts`; fuzzing in `test/fuzz/muc-property.ts`",
  },
  {
    subject: "MUC push: offline delivery (M4)",
    models: "`offlineDelivery`: a copy at an absent member's bare JID, pushed by the member's server on `message/bare/groupchat` when important",
    source:
      "prosody-modules `mod_muc_offline_delivery.lua` and `mod_cloud_notify.lua` (decent-im/prosody-modules 11fe7b2a, the8woodcutter/prosody-modules 723602fd; Debian prosody-modules 0.0~hg20230223), Prosody 0.12.3 `mod_message.lua`; M4",
    running: MUC_MODULES_MISSING,
    checked: "`test/integration/muc/push-paths.test.ts`; fuzzing in `test/fuzz/muc-property.ts`",
  },
  {
    subject: "MUC push: enable at the room (M5)",
    models: "`<enable/>` at a room JID from an affiliated user; the room publishes for each message with a body to members not joined; `mucPublishers` at the app server",
    source: "XEP-0357 §5 (the room as the user's server); Conversations' `PushManagementService` (docs/research.md B.b); prosody-modules `mod_muc_cloud_notify.lua` (summary, `push_max_devices`); M5",
    running: MUC_MODULES_MISSING,
    checked: "`test/integration/muc/push-paths.test.ts`; fuzzing in `test/fuzz/muc-property.ts`",
  },
  {
    subject: "MUC push: enable at the MUC domain (M6)",
    models: "`<enable/>` at the service's domain (Converse.js `enable_muc_push`); an XEP-0372 mention of an absent member's reserved nick publishes from the domain",
    source: "conversejs/converse.js 268c123d `src/plugins/push/utils.js`; prosody-modules `mod_muc_cloud_notify.lua` (`archive_message_added` on `muc-add-history`, `extract_reference`); M6",
    running: MUC_MODULES_MISSING,
    checked: "`test/integration/muc/push-paths.test.ts`; fuzzing in `test/fuzz/muc-property.ts`",
  },
];

export function renderSourcePresets(models: readonly SourceModel[] = SOURCE_MODELS): string[] {
  return [
    "## Behaviours modelled from sources",
    "",
    "The table above is what running servers answered. Nothing below was measured against a running server: each row",
    "follows the sources named (repository and commit, the rows of docs/conformance.md, fixtures written from them), and",
    "the tests named check the simulators and the SDK against that reading.",
    "",
    "| what | models | source and version | running server | checked by |",
    "|---|---|---|---|---|",
    ...models.map(({ subject, models: text, source, running, checked }) => `| ${subject} | ${text} | ${source} | ${running} | ${checked} |`),
    "",
  ];
}
