import type { Element } from "../protocol/index.js";

/** Hands a stanza to the XMPP server for routing. */
export type SendStanza = (stanza: Element) => void;

/**
 * An entity the reference XMPP server routes a domain to, in-process — the way a real server
 * routes to an XEP-0114 component. The app server simulator is one; so is anything a test
 * wants to put behind a JID.
 */
export interface Component {
  /** The component's domain, e.g. `push.example.test`: every stanza addressed to it or to a JID at it arrives here. */
  readonly jid: string;
  /**
   * More domains routed to the component besides `jid` (the app server's `pubsubHost`). A
   * component whose `jid` is the server's own domain gets the XEP-0050 command requests to the
   * domain, and the disco queries of its commands node, as royneary's `register_host` does.
   */
  readonly domains?: readonly string[];
  /**
   * A stanza addressed to the component. It is the component's from then on: the server keeps
   * no reference to it, so reading it, moving its children or changing it touches nothing else.
   */
  receive(stanza: Element): void;
  /**
   * True when every stanza the component sends is built for that one send, shares no element
   * with another, and is never touched after it: the server then routes it as it is. Otherwise
   * the server routes a deep copy, so a component may re-send or change what it sent.
   */
  readonly sendsFreshStanzas?: boolean;
  /** Called once when the component is linked; `send` routes a stanza through the server. Returns an unlink function. */
  connect(send: SendStanza): () => void;
}

/** Routes a stanza through a component's link; false when unlinked or the link is broken, as a dead socket loses it. */
export function sendThrough(send: SendStanza | undefined, stanza: Element): boolean {
  if (!send) return false;
  try {
    send(stanza);
    return true;
  } catch {
    return false;
  }
}
