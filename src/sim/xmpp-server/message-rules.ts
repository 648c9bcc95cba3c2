import type { Element } from "../../protocol/index.js";

/**
 * A message the offline store keeps, and by default the only kind that pushes: chat or normal,
 * with a non-empty body. Chat states, receipts, markers and errors carry no body (S6).
 */
export function isStorable(message: Element): boolean {
  return isChatOrNormal(message) && bodyOf(message) !== undefined;
}

export function isChatOrNormal(message: Element): boolean {
  const type = message.attrs.type ?? "normal";
  return type === "chat" || type === "normal";
}

export function bodyOf(message: Element): string | undefined {
  const body = message.getChildText("body");
  return body && body.trim() !== "" ? body : undefined;
}
