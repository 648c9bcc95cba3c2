// The app's entry: the polyfills first, before anything imports xmpp-push or @xmpp/client.
import "./polyfills";
import { AppRegistry } from "react-native";
import App from "./App";

AppRegistry.registerComponent("PushDemo", () => App);
