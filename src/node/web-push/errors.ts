import { PushError, type PushErrorCondition } from "../../protocol/index.js";

/** A Web Push delivery failure: the push service's HTTP status (if it answered) and the endpoint. */
export class WebPushDeliveryError extends PushError {
  /** The HTTP status, or undefined when the request never got an answer. */
  readonly status: number | undefined;
  readonly endpoint: string;

  constructor(condition: PushErrorCondition, message: string, details: { endpoint: string; status?: number; cause?: unknown }) {
    super(condition, message, details.cause === undefined ? {} : { cause: details.cause });
    this.status = details.status;
    this.endpoint = details.endpoint;
  }
}

/** The XMPP condition closest to an HTTP refusal. */
export function conditionForStatus(status: number): PushErrorCondition {
  switch (status) {
    case 400:
      return "bad-request";
    case 401:
      return "not-authorized";
    case 403:
      return "forbidden";
    case 413:
      return "policy-violation";
    default:
      return "undefined-condition";
  }
}
