import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import type { Transport, Wire } from "./wire.js";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

/** The opening of a client stream: an RFC 6120 header (TCP) or an RFC 7395 `<open/>` frame. */
export function streamHeader(transport: Transport, domain: string): string {
  return transport === "tcp"
    ? `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${domain}' version='1.0'>`
    : `<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='${domain}' version='1.0'/>`;
}

/** Opens (or restarts) the stream and waits for the features; returns where they end in `received`. */
export async function openStream(wire: Wire, domain: string): Promise<string> {
  const from = wire.received.length;
  await wire.write(streamHeader(wire.transport, domain));
  const match = await wire.waitFor(/<stream:features[\s\S]*?<\/stream:features>|<features[\s\S]*?<\/features>/, 5000, from);
  return match[0];
}

export function mechanismsOf(features: string): string[] {
  return [...features.matchAll(/<mechanism>([^<]+)<\/mechanism>/g)].map((match) => match[1] ?? "");
}

/** SASL with the mechanism the server offers (PLAIN if it does, else SCRAM-SHA-1); resolves with the failure condition or "success". */
export async function authenticate(wire: Wire, features: string, username: string, password: string, authzid = ""): Promise<string> {
  const mechanisms = mechanismsOf(features);
  const from = wire.received.length;
  if (mechanisms.includes("PLAIN")) {
    await wire.write(`<auth xmlns='${NS_SASL}' mechanism='PLAIN'>${Buffer.from(`${authzid}\0${username}\0${password}`).toString("base64")}</auth>`);
    return saslOutcome(wire, from);
  }
  if (!mechanisms.includes("SCRAM-SHA-1")) throw new Error(`no mechanism this harness speaks among ${mechanisms.join(", ")}`);
  const nonce = randomBytes(18).toString("base64");
  const clientFirstBare = `n=${username},r=${nonce}`;
  await wire.write(`<auth xmlns='${NS_SASL}' mechanism='SCRAM-SHA-1'>${Buffer.from(`n,,${clientFirstBare}`).toString("base64")}</auth>`);
  const challenge = await wire.waitFor(/<challenge[^>]*>([^<]*)<\/challenge>|<failure[\s\S]*?<\/failure>/, 5000, from);
  if (!challenge[1]) return saslOutcome(wire, from);
  const serverFirst = Buffer.from(challenge[1], "base64").toString();
  const fields = Object.fromEntries(serverFirst.split(",").map((part) => [part.slice(0, 1), part.slice(2)]));
  const withoutProof = `c=biws,r=${fields.r}`;
  const salted = pbkdf2Sync(password, Buffer.from(fields.s ?? "", "base64"), Number(fields.i), 20, "sha1");
  const clientKey = createHmac("sha1", salted).update("Client Key").digest();
  const storedKey = createHash("sha1").update(clientKey).digest();
  const signature = createHmac("sha1", storedKey).update(`${clientFirstBare},${serverFirst},${withoutProof}`).digest();
  const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (signature[index] ?? 0)));
  const afterChallenge = wire.received.length;
  await wire.write(`<response xmlns='${NS_SASL}'>${Buffer.from(`${withoutProof},p=${proof.toString("base64")}`).toString("base64")}</response>`);
  return saslOutcome(wire, afterChallenge);
}

async function saslOutcome(wire: Wire, from: number): Promise<string> {
  const outcome = await wire.waitFor(/<success[\s\S]*?(?:\/>|<\/success>)|<failure[\s\S]*?<\/failure>/, 5000, from);
  if (outcome[0].startsWith("<success")) return "success";
  return /<failure[^>]*>\s*<([a-z-]+)/.exec(outcome[0])?.[1] ?? "failure";
}

/** Binds `resource` and resolves with the full JID. */
export async function bind(wire: Wire, resource: string): Promise<string> {
  const from = wire.received.length;
  await wire.write(`<iq type='set' id='bind-1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`);
  const match = await wire.waitFor(/<jid>([^<]+)<\/jid>/, 5000, from);
  return match[1] ?? "";
}

/** A raw session up to a bound resource: the wire is the client's, for writing anything at all. */
export async function login(wire: Wire, domain: string, username: string, password: string, resource: string): Promise<string> {
  const features = await openStream(wire, domain);
  const outcome = await authenticate(wire, features, username, password);
  if (outcome !== "success") throw new Error(`login of ${username} failed: ${outcome}`);
  await openStream(wire, domain);
  return bind(wire, resource);
}

/** XEP-0198 enable with resumption; resolves with the stream id (or "" when the server gave none). */
export async function enableStreamManagement(wire: Wire): Promise<string> {
  const from = wire.received.length;
  await wire.write("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
  const match = await wire.waitFor(/<enabled[^>]*>/, 5000, from);
  return /id=['"]([^'"]+)['"]/.exec(match[0])?.[1] ?? "";
}
