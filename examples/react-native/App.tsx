// A screen that starts push after login and shows where it stands.
import { useEffect, useState } from "react";
import { Text, View } from "react-native";
import { startPush } from "./push";

const account = {
  service: "wss://chat.example.org/xmpp-websocket",
  domain: "chat.example.org",
  username: "bob",
  password: "from your login screen",
  appServer: "push.example.org",
};

export default function App() {
  const [status, setStatus] = useState("connecting…");
  useEffect(() => {
    let stop = (): void => undefined;
    startPush(account).then(
      (session) => {
        setStatus(`push on: ${session.registration.provider} node ${session.registration.node}`);
        stop = () => {
          session.stopTokenRefresh();
          void session.xmpp.stop();
        };
      },
      (error: Error & { condition?: string }) => setStatus(`push off: ${error.condition ?? error.name}: ${error.message}`),
    );
    return () => stop();
  }, []);
  return (
    <View style={{ flex: 1, justifyContent: "center", padding: 24 }}>
      <Text>{status}</Text>
    </View>
  );
}
