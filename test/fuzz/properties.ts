import { appServerRequests } from "./app-server-properties.js";
import { damagedSessionChunking, validSessionChunking } from "./chunking-properties.js";
import type { FuzzProperty } from "./fuzz-property.js";
import { mucStanzas } from "./muc-property.js";
import { loneSurrogates } from "./lone-surrogate-property.js";
import { namespacePrefixes } from "./namespace-prefix-property.js";
import { pushClientAnswers } from "./push-client-property.js";
import { protocolParsers, stringParsers, xmlParser } from "./parser-properties.js";
import { framedTextSessions, invalidUtf8Sessions, lingeringSessions, scramSessions, xmlStreamTextSessions } from "./session-properties.js";
import { tigaseEnables } from "./tigase-enable-property.js";
import { decryptNotifications, tigaseParsers } from "./tigase-parser-property.js";
import { stanzaSizeLimit } from "./size-limit-property.js";
import { streamOpens } from "./stream-open-property.js";

/** Every fuzzing property, as `npm test` (a few cases each) and `npm run fuzz` (their share of 10⁵) run them. */
export const FUZZ_PROPERTIES: readonly FuzzProperty[] = [
  framedTextSessions,
  xmlStreamTextSessions,
  invalidUtf8Sessions,
  scramSessions,
  lingeringSessions,
  validSessionChunking,
  damagedSessionChunking,
  stanzaSizeLimit,
  loneSurrogates,
  namespacePrefixes,
  streamOpens,
  protocolParsers,
  stringParsers,
  xmlParser,
  appServerRequests,
  mucStanzas,
  tigaseEnables,
  tigaseParsers,
  decryptNotifications,
  pushClientAnswers,
];
