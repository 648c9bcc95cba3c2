import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The public surface, entry by entry: every name a user can import, values and types apart. An
 * export added or removed without updating these lists fails here, so the surface changes only
 * on purpose (and the change shows in review). Internals are imported by tests from their
 * `src/...` files, never through an entry.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Surface {
  /** Names that exist at run time (functions, classes, constants). */
  values: string[];
  /** Names that exist only for TypeScript. */
  types: string[];
}

const ENTRIES: Record<string, { file: string; surface: Surface }> = {
  "xmpp-push": {
    file: "src/index.ts",
    surface: {
      values: [
        "PushClient",
        "push2",
        "rooms",
        "MemoryStore",
        "dialects",
        "modPush",
        "mongooseim",
        "p2",
        "v1",
        "trace",
        "PushError",
        "buildStanzaError",
        "parseStanzaError",
        "NS",
        "buildEnable",
        "parseEnable",
        "buildDisable",
        "parseDisable",
        "buildSummary",
        "parseSummary",
        "buildNotification",
        "parseNotification",
        "publishOptionValues",
        "buildPublish",
        "parsePublish",
        "buildForm",
        "parseForm",
        "formFromValues",
        "findForm",
        "getField",
        "getValue",
        "getValues",
        "buildCommandRequest",
        "parseCommandRequest",
        "buildCommandResponse",
        "parseCommandResponse",
        "buildDiscoInfoQuery",
        "buildDiscoInfo",
        "parseDiscoInfo",
        "buildDiscoItemsQuery",
        "buildDiscoItems",
        "parseDiscoItems",
        "encodePushPayload",
        "parsePushPayload",
        "WEBPUSH_FORM_TYPE",
        "VAPID_PUBLIC_KEY_FIELD",
        "buildPushOptionsForm",
        "parsePushOptionsForm",
        "PUSH_OPTIONS_FORM_TYPE",
        "tigase",
        "decryptNotification",
        "applyTigaseEnable",
        "buildEncrypted",
        "parseEncrypted",
        "parseTigaseEnable",
        "parseTigaseNotification",
        "TIGASE_NS",
        "buildPush2Enable",
        "buildPush2Disable",
        "PUSH2_NS",
        "PUSH2_MATCH",
        "PUSH2_SEND_WEBPUSH",
      ],
      types: [
        "Push2EnableRequest",
        "Push2Filter",
        "Push2Registration",
        "Push2Subscriber",
        "Push2VapidKeys",
        "SubscribePush2Options",
        "PushClientOptions",
        "PushExtension",
        "Push2Extension",
        "RoomsExtension",
        "EnableExtensions",
        "PushClientEvents",
        "EncryptionKeyHolder",
        "TigaseRegistration",
        "TigaseSettings",
        "TigaseEnableOptions",
        "TigaseEncrypted",
        "TigaseGroupchatRoom",
        "TigaseNotification",
        "RegistrationStore",
        "XmppConnection",
        "WebPushSubscriptionJSON",
        "ProviderName",
        "RegisterOptions",
        "Registration",
        "RemovalStep",
        "EnableTarget",
        "DisableTarget",
        "AppServerInfo",
        "ListedRegistration",
        "UnregisterOptions",
        "UnsubscribeOptions",
        "UnsubscribeReport",
        "Dialect",
        "CommandCall",
        "DialectRegisterInput",
        "RegisteredNode",
        "CommandDialect",
        "DialectChannel",
        "PubsubRegisteredNode",
        "PubsubRegisterInput",
        "RequestsDialect",
        "TraceableConnection",
        "TraceEvent",
        "TraceLog",
        "PushErrorCondition",
        "PushErrorOptions",
        "StanzaErrorCondition",
        "StanzaErrorType",
        "LocalErrorCondition",
        "Element",
        "EnableRequest",
        "ParsedEnable",
        "DisableRequest",
        "PublishOptions",
        "Summary",
        "Notification",
        "PublishRequest",
        "ParsedPublish",
        "DataForm",
        "FormField",
        "FieldOption",
        "FieldType",
        "FieldValue",
        "FormType",
        "CommandAction",
        "CommandNote",
        "CommandRequest",
        "CommandResponse",
        "CommandStatus",
        "NoteType",
        "DiscoIdentity",
        "DiscoInfo",
        "DiscoItem",
        "DiscoItems",
        "PushPayload",
        "PushUserOptions",
        "ServerPushFeatures",
      ],
    },
  },
  "xmpp-push/sim": {
    file: "src/sim/index.ts",
    surface: {
      values: [
        "createXmppServer",
        "PRESETS",
        "StreamError",
        "useMemoryTransport",
        "createAppServer",
        "createRecordingProvider",
        "DEFAULT_PROVIDERS",
        "createPubsubService",
        "createRecordingPubsubProvider",
        "MONGOOSEPUSH_SERVICES",
        "createMucService",
      ],
      types: [
        "XmppServer",
        "XmppServerOptions",
        "XmppServerEvents",
        "SimulatedClient",
        "ClientJid",
        "ClientStatus",
        "ServerClientOptions",
        "RegistrationInfo",
        "Preset",
        "PresetDefinition",
        "PushOptions",
        "ShouldPublish",
        "PushRegistration",
        "StreamManagementOptions",
        "MamOptions",
        "OfflineOptions",
        "RosterOptions",
        "ModuleName",
        "ServerModule",
        "ModuleHost",
        "ClientSession",
        "SaslExchange",
        "SaslOutcome",
        "SaslFailureCondition",
        "HookEvents",
        "HookName",
        "HookHandler",
        "IqContext",
        "IqScope",
        "StanzaFilter",
        "StreamErrorCondition",
        "TransportHost",
        "ClientLink",
        "LinkAcceptor",
        "ServerSession",
        "Component",
        "SendStanza",
        "RecordingProvider",
        "AppRegistration",
        "AppServer",
        "AppServerEvents",
        "AppServerOptions",
        "AppServerDialectName",
        "Delivery",
        "ProviderMessage",
        "ProviderResult",
        "PushProvider",
        "RejectedPublish",
        "PublishNotification",
        "PushService",
        "PushServiceNotification",
        "PushServiceOutcome",
        "RecordingPubsubProvider",
        "AccessModel",
        "Affiliation",
        "NodeType",
        "PublishModel",
        "PubsubDelivery",
        "PubsubForward",
        "PubsubNode",
        "PubsubProvider",
        "PubsubPushMessage",
        "PubsubService",
        "PubsubServiceEvents",
        "PubsubServiceOptions",
        "PushNodeTarget",
        "MucService",
        "MucAffiliation",
        "MucPush",
        "MucRoomInfo",
        "MucServiceEvents",
        "MucServiceOptions",
      ],
    },
  },
  "xmpp-push/sim/node": {
    file: "src/node/index.ts",
    surface: {
      values: [
        "listenTcp",
        "listenWebSocket",
        "connectComponent",
        "ComponentLinkError",
        "webPushProvider",
        "DEFAULT_TTL",
        "generateVapidKeys",
        "WebPushDeliveryError",
        "createPush2Relay",
        "createPushService",
      ],
      types: [
        "ListenOptions",
        "WebSocketListenOptions",
        "XmppListener",
        "ComponentLink",
        "ComponentLinkEvents",
        "ComponentLinkOptions",
        "ComponentLinkStatus",
        "ComponentLinkErrorCode",
        "ReconnectOptions",
        "Urgency",
        "Fetch",
        "VapidDetails",
        "WebPushProvider",
        "WebPushProviderEvents",
        "WebPushProviderOptions",
        "Push2Relay",
        "Push2RelayEvents",
        "Push2RelayLogEntry",
        "Push2RelayOptions",
        "Push2RelayOutcome",
        "Push2RelayState",
        "MintedSubscription",
        "NextMessageOptions",
        "PushService",
        "PushServiceEvents",
        "PushServiceOptions",
        "RateLimit",
        "ReceivedPushMessage",
        "RefusedPushRequest",
        "SubscribeOptions",
      ],
    },
  },
  "xmpp-push/idb": {
    file: "src/idb/index.ts",
    surface: { values: ["IdbStore"], types: ["IdbStoreOptions"] },
  },
  "xmpp-push/async-storage": {
    file: "src/async-storage/index.ts",
    surface: { values: ["AsyncStorageStore"], types: ["AsyncStorageLike", "AsyncStorageStoreOptions"] },
  },
  "xmpp-push/web": {
    file: "src/web/index.ts",
    surface: {
      values: ["subscribeWebPush", "unsubscribeWebPush", "subscriptionToToken", "base64UrlToBytes", "bytesToBase64Url", "webPushSubscriber"],
      types: ["SubscribeWebPushOptions", "WebPushSubscriptionJSON"],
    },
  },
  "xmpp-push/sw": {
    file: "src/sw/index.ts",
    surface: {
      values: [
        "handlePush",
        "readPush2Envelope",
        "tigaseDecryption",
        "handleNotificationClick",
        "NOTIFICATION_CLICK_MESSAGE",
        "notificationFor",
        "readNotificationData",
        "parsePushPayload",
        "decryptTigasePayload",
        "PushError",
        "DEFAULT_TITLE",
        "DEFAULT_GENERIC_BODY",
      ],
      types: [
        "TigaseDecryptionOptions",
        "Push2Message",
        "NotificationClickMessage",
        "PushPayload",
        "EncryptionKeyHolder",
        "TigaseNotification",
        "TigaseEncrypted",
        "PushErrorCondition",
        "ServiceWorkerPushOptions",
        "XmppPushNotificationData",
        "NotificationEventLike",
        "PushEventLike",
        "ShowNotificationOptions",
        "WindowClientLike",
      ],
    },
  },
  "xmpp-push/bundler": {
    file: "src/bundler/index.ts",
    surface: {
      values: ["webpackPlugin", "esbuildPlugin", "rollupPlugin", "vitePlugin", "metroPlugin"],
      types: [
        "WebpackPluginLike",
        "EsbuildPluginLike",
        "RollupPluginLike",
        "VitePluginLike",
        "MetroConfigLike",
        "MetroResolution",
        "MetroResolutionContextLike",
        "MetroResolveRequest",
      ],
    },
  },
};

const sorted = (names: Iterable<string>): string[] => [...names].sort();

/** Every name each entry file exports, as TypeScript sees them (values and types). */
function declaredExports(): Map<string, string[]> {
  const files = Object.values(ENTRIES).map(({ file }) => `${ROOT}${file}`);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  const exported = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`TypeScript did not load ${file}`);
    exported.set(file, sorted(checker.getExportsOfModule(symbol).map((name) => name.getName())));
  }
  return exported;
}

describe("public surface: each entry exports exactly the names listed here", () => {
  const declared = declaredExports();

  for (const [entry, { file, surface }] of Object.entries(ENTRIES)) {
    it(`${entry} (${file}): its run-time exports`, async () => {
      const module = (await import(`${ROOT}${file}`)) as Record<string, unknown>;
      expect(sorted(Object.keys(module))).toEqual(sorted(surface.values));
    });

    it(`${entry} (${file}): its exports with the types`, () => {
      expect(declared.get(`${ROOT}${file}`)).toEqual(sorted([...surface.values, ...surface.types]));
    });

    it(`${entry} (${file}): names every export (no \`export *\`)`, () => {
      const text = readFileSync(`${ROOT}${file}`, "utf8");
      expect(text).not.toMatch(/export\s+(type\s+)?\*/);
    });
  }

  it("the lists cover every entry in package.json's exports map", () => {
    const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { exports: Record<string, unknown> };
    const entries = Object.keys(manifest.exports)
      .filter((key) => key !== "./package.json")
      .map((key) => (key === "." ? "xmpp-push" : `xmpp-push/${key.slice(2)}`));
    expect(sorted(Object.keys(ENTRIES))).toEqual(sorted(entries));
  });
});
