// The test's entry, in place of the example's index.js (which renders App with React): the
// example's polyfills first, then its push module, handed to the test through one global.
import "./polyfills";
import { xml } from "@xmpp/client";
import { startPush } from "./push";

global.pushApp = {
  startPush,
  /** Sends initial presence (what a chat app does after login) and resolves with the next chat message's body. */
  nextMessage(xmpp) {
    return new Promise((resolve) => {
      const onStanza = (stanza) => {
        if (!stanza.is("message") || !stanza.getChild("body")) return;
        xmpp.removeListener("stanza", onStanza);
        resolve({ from: stanza.attrs.from, body: stanza.getChildText("body") });
      };
      xmpp.on("stanza", onStanza);
      void xmpp.send(xml("presence"));
    });
  },
};
