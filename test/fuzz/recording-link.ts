import type { ClientLink } from "../../src/sim/index.js";

export type Framing = "rfc7395" | "rfc6120";

/** A client connection in memory that keeps everything the server did to it, in order. */
export class RecordingLink implements ClientLink {
  readonly sent: string[] = [];
  closes = 0;
  /** Data the server sent after it had closed the link: never legitimate. */
  readonly sentAfterClose: string[] = [];

  constructor(
    readonly framing: Framing,
    readonly secure: boolean,
  ) {}

  get closed(): boolean {
    return this.closes > 0;
  }

  send(data: string): void {
    if (this.closed) this.sentAfterClose.push(data);
    else this.sent.push(data);
  }

  close(): void {
    this.closes++;
  }
}
