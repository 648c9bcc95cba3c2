/** A line's fields besides `event` and `time`; `undefined` ones are left out. */
export type LineFields = Record<string, unknown>;

/** Writes one JSON object per line: what the CLI's stdout is made of. */
export type WriteLine = (event: string, fields?: LineFields) => void;

export function jsonLine(event: string, fields: LineFields = {}, now: Date = new Date()): string {
  return `${JSON.stringify({ event, time: now.toISOString(), ...fields })}\n`;
}

export function lineWriter(stream: NodeJS.WritableStream): WriteLine {
  return (event, fields) => {
    stream.write(jsonLine(event, fields));
  };
}
