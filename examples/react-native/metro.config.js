// React Native's Metro defaults (react-native platform, "react-native" export condition, the
// `react-native` and `browser` package.json fields), plus the one line @xmpp/client 0.14 needs:
// metroPlugin() empties @xmpp/resolve's DNS module (React Native connects over wss://) and
// points the `events` imports of @xmpp/* and ltx at the npm package.
const { getDefaultConfig } = require("@react-native/metro-config");
const { metroPlugin } = require("xmpp-push/bundler");

module.exports = metroPlugin(getDefaultConfig(__dirname));
