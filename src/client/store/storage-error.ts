import { PushError } from "../../protocol/errors.js";

/** A storage failure (IndexedDB, AsyncStorage …) as `PushError('storage')`, keeping the original error as `cause`. */
export function storageError(message: string, cause: unknown): PushError {
  if (cause instanceof PushError) return cause;
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new PushError("storage", `${message} (${reason})`, { cause });
}
