import { webpackPlugin } from "xmpp-push/bundler";

export default {
  mode: "production",
  entry: { app: "./src/app.js", sw: "./src/sw.js" },
  plugins: [webpackPlugin()],
};
