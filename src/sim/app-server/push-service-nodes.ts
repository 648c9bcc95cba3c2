import {
  buildForm,
  buildIq,
  type Element,
  formFromValues,
  NS,
  parseStanzaError,
  PushError,
  randomHex,
  xml,
} from "../../protocol/index.js";
import { ServerRequests } from "../xmpp-server/requests.js";
import { refusal } from "./iq-errors.js";
import type { AppRegistration } from "./types.js";

/**
 * R8: the app server's nodes at a separate XMPP Push Service (royneary's mod_push_push_service): it
 * creates one push node per registration, configured with the registration's secret (node_push's
 * `secret` option, checked against each publish there) and an open publish model (any user's
 * server may publish, as with the app server's own pubsub host), subscribes to it so that the
 * service forwards the publishes, and deletes it at unregistration.
 */
export class PushServiceNodes {
  readonly service: string;
  readonly #self: string;
  readonly #send: (stanza: Element) => boolean;
  readonly #timeout: number;
  readonly #requests = new ServerRequests();

  constructor(self: string, service: string, timeout: number, send: (stanza: Element) => boolean) {
    this.#self = self;
    this.service = service;
    this.#timeout = timeout;
    this.#send = send;
  }

  /** XEP-0060 §8.1.3 create with configure, then §6.1 subscribe; a failed subscribe takes the node away again. */
  async create(registration: AppRegistration): Promise<void> {
    const config = formFromValues("submit", NS.nodeConfig, {
      "pubsub#access_model": "whitelist",
      "pubsub#publish_model": "open",
      "pubsub#secret": registration.secret,
    });
    const node = registration.node;
    await this.#request(xml("pubsub", { xmlns: NS.pubsub }, xml("create", { node, type: "push" }), xml("configure", {}, buildForm(config))));
    try {
      await this.#request(xml("pubsub", { xmlns: NS.pubsub }, xml("subscribe", { node, jid: this.#self })));
    } catch (error) {
      await this.delete(node).catch(() => undefined);
      throw error;
    }
  }

  /** XEP-0060 §8.4; a node the service no longer has is as good as deleted. */
  async delete(node: string): Promise<void> {
    try {
      await this.#request(xml("pubsub", { xmlns: NS.pubsubOwner }, xml("delete", { node })));
    } catch (error) {
      if (!(error instanceof PushError && error.condition === "item-not-found")) throw error;
    }
  }

  /** Takes a reply to one of our requests; false for any other stanza. */
  claim(reply: Element): boolean {
    return this.#requests.claim(reply);
  }

  #request(payload: Element): Promise<Element> {
    const iq = buildIq({ type: "set", to: this.service, from: this.#self, id: randomHex(8) }, payload);
    return new Promise((resolve, reject) => {
      this.#requests.expect(iq, this.#timeout, (reply) => {
        if (!reply) reject(refusal("remote-server-timeout", `the push service ${this.service} did not answer`, { type: "wait" }));
        else if (reply.attrs.type === "error") reject(parseStanzaError(reply));
        else resolve(reply);
      });
      if (!this.#send(iq)) this.#requests.cancelAll();
    });
  }
}
