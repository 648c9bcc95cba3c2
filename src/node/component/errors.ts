/**
 * Why a component link failed:
 * - `not-authorized`: the server refused the handshake (wrong secret or unknown domain); not retried.
 * - `timeout`: connecting and the handshake took longer than `connectTimeout`.
 * - `connection`: the socket failed or the server ended the stream.
 * - `keepalive-timeout`: the server, silent for `keepAlive` ms, left a ping unanswered for `keepAliveTimeout` ms
 *   (a hung server, or a NAT or firewall that dropped the connection without a word).
 * - `no-reply`: the linked component did not answer an IQ within `replyTimeout`.
 * - `component`: the linked component threw on a stanza (that stanza is lost; the link goes on).
 * - `gave-up`: `maxAttempts` attempts in a row failed.
 * - `closed`: `close()` was called before the link came up.
 */
export type ComponentLinkErrorCode = "not-authorized" | "timeout" | "connection" | "keepalive-timeout" | "no-reply" | "component" | "gave-up" | "closed";

export class ComponentLinkError extends Error {
  override readonly name = "ComponentLinkError";
  readonly code: ComponentLinkErrorCode;

  constructor(code: ComponentLinkErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** A failure from @xmpp/* (socket error, stream error, timeout) as a link error. */
export function linkErrorOf(error: unknown): ComponentLinkError {
  if (error instanceof ComponentLinkError) return error;
  const { name, condition, message } = (error ?? {}) as { name?: string; condition?: string; message?: string };
  const text = message ?? String(error);
  if (name === "StreamError" && condition === "not-authorized") {
    return new ComponentLinkError("not-authorized", `the server refused the component handshake: ${text}`, { cause: error });
  }
  if (name === "TimeoutError") return new ComponentLinkError("timeout", text, { cause: error });
  const what = name === "StreamError" ? `stream error '${condition ?? "?"}'` : text;
  return new ComponentLinkError("connection", what, { cause: error });
}
