// The example's metro.config.js, used as it is, plus what only this test needs: stand-ins for the
// packages whose real work is native code (react-native itself is not installed), no
// InitializeCore (it lives in react-native; the test's vm provides the globals it would set up),
// OMIT_MODULES, a list of modules bundled as empty (an app that forgot a polyfill), and the
// folders of the bundler's own runtime files, which are linked from the repository.
const path = require("node:path");
const { mergeConfig } = require("@react-native/metro-config");
const app = require("./metro.config.js");

const standIns = {
  "react-native": "stand-ins/react-native.js",
  "@react-native-firebase/messaging": "stand-ins/firebase-messaging.js",
  "@react-native-async-storage/async-storage": "stand-ins/async-storage.js",
};
const omitted = (process.env.OMIT_MODULES ?? "").split(",").filter(Boolean);

module.exports = mergeConfig(app, {
  resolver: {
    useWatchman: false,
    resolveRequest(context, moduleName, platform) {
      if (omitted.includes(moduleName)) return { type: "empty" };
      if (standIns[moduleName]) return { type: "sourceFile", filePath: path.join(__dirname, standIns[moduleName]) };
      return app.resolver.resolveRequest(context, moduleName, platform);
    },
  },
  serializer: { getModulesRunBeforeMainModule: () => [] },
  watchFolders: ["metro-runtime", "@react-native/js-polyfills"].map((name) =>
    path.dirname(require.resolve(`${name}/package.json`, { paths: [require.resolve("@react-native/metro-config")] })),
  ),
});
