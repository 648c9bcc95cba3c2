import { SaxesParser } from "saxes";
import { parseXml } from "../../src/protocol/index.js";
import { clientFooter } from "./client-framing.js";
import type { RecordingLink } from "./recording-link.js";

/** Characters outside XML 1.0's `Char` production (lone surrogates included): never on the wire. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const STREAM_ROOT = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

/** What is wrong with what the server sent on a link; empty when nothing is. */
export function outputProblems(link: RecordingLink): string[] {
  const problems: string[] = [];
  if (link.sentAfterClose.length > 0) problems.push(`sent after closing the link: ${link.sentAfterClose[0]?.slice(0, 200)}`);
  if (link.closes > 1) problems.push(`closed the link ${link.closes} times`);
  const footer = clientFooter(link.framing);
  for (const [index, frame] of link.sent.entries()) {
    const problem = NOT_XML_CHAR.test(frame) ? "a character XML does not allow" : frameProblem(link, frame, index);
    if (problem) problems.push(`frame ${index}: ${problem}: ${JSON.stringify(frame.slice(0, 300))}`);
  }
  const errorAt = link.sent.findIndex((frame) => frame.startsWith("<stream:error"));
  if (errorAt !== -1 && (link.sent.length !== errorAt + 2 || !isFooter(link, link.sent[errorAt + 1]) || !link.closed)) {
    problems.push("a stream error not followed by the stream's end and the link's close");
  }
  // RFC 6120 §6.4.6: after <success/> the client restarts the stream, and the server answers with a new header.
  const successAt = link.sent.findIndex((frame) => frame.startsWith("<success "));
  const afterSuccess = link.sent[successAt + 1];
  if (successAt !== -1 && afterSuccess !== undefined && !isHeader(link, afterSuccess) && !isFooter(link, afterSuccess) && !afterSuccess.startsWith("<stream:error")) {
    problems.push(`answered ${afterSuccess.slice(0, 120)} after <success/> without a stream restart`);
  }
  const footerAt = link.sent.findIndex((frame) => isFooter(link, frame));
  if (footerAt !== -1 && footerAt !== link.sent.length - 1) problems.push(`sent more after ${footer}`);
  return problems;
}

function frameProblem(link: RecordingLink, frame: string, index: number): string | undefined {
  if (link.framing === "rfc6120") {
    if (frame.startsWith("<?xml")) return xmlProblem(`${frame}</stream:stream>`);
    if (isFooter(link, frame)) return undefined;
    // Stanzas in an RFC 6120 stream inherit the root's namespace declarations.
    return xmlProblem(`${STREAM_ROOT}${frame}</stream:stream>`);
  }
  // A client that sends <close/> first gets only <close/> back: there was no stream to open.
  if (index === 0 && !isHeader(link, frame) && !isFooter(link, frame)) return "the first frame is neither <open/> nor <close/>";
  try {
    parseXml(frame);
  } catch (error) {
    return `parseXml refused it (${String(error)})`;
  }
  return xmlProblem(frame);
}

function isHeader(link: RecordingLink, frame: string): boolean {
  return link.framing === "rfc6120" ? frame.startsWith("<?xml") : frame.startsWith("<open ");
}

function isFooter(link: RecordingLink, frame: string | undefined): boolean {
  if (link.framing === "rfc6120") return frame === "</stream:stream>";
  return frame !== undefined && frame.startsWith("<close ") && frame.includes("urn:ietf:params:xml:ns:xmpp-framing");
}

/** A strict, namespace-aware parse: well-formed and namespace-well-formed, one root element. */
export function xmlProblem(document: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true });
  let problem: string | undefined;
  parser.on("error", (error) => {
    problem ??= error.message;
  });
  parser.write(document).close();
  return problem;
}
