// React Native's Metro defaults (react-native platform, "react-native" export condition, the
// `react-native` and `browser` package.json fields), plus the one line @xmpp/client 0.14 needs.
const { getDefaultConfig, mergeConfig } = require("@react-native/metro-config");

module.exports = mergeConfig(getDefaultConfig(__dirname), {
  resolver: {
    // ⚑ node:dns — @xmpp/resolve imports it for DNS SRV lookups, which only its TCP transport
    // uses; React Native connects over WebSocket (`service: "wss://…"`), so it can be empty.
    resolveRequest: (context, moduleName, platform) =>
      moduleName === "node:dns" ? { type: "empty" } : context.resolveRequest(context, moduleName, platform),
  },
});
