/** A hook's handler: returning anything but undefined ends the event, and `fire` returns that value. */
export type HookHandler<Event> = (event: Event) => unknown;

interface Registration<Event> {
  handler: HookHandler<Event>;
  priority: number;
}

/**
 * Named events with prioritised handlers, the way Prosody's `module:hook` and `fire_event` work:
 * higher priorities run first (equal ones in the order they were added), and the first handler
 * that returns a value stops the event. The core's own default behaviour is a handler too, at a
 * low priority, so a module can act before it or take the event over.
 */
export class Hooks<Events extends object> {
  readonly #handlers = new Map<keyof Events, Registration<never>[]>();

  /** Adds a handler; returns a function that removes it. */
  hook<Name extends keyof Events>(name: Name, handler: HookHandler<Events[Name]>, priority = 0): () => void {
    const list = (this.#handlers.get(name) ?? []) as Registration<Events[Name]>[];
    const registration: Registration<Events[Name]> = { handler, priority };
    const at = list.findIndex((existing) => existing.priority < priority);
    // A new array each time: a handler added or removed while the event runs does not disturb that run.
    const next = [...list];
    next.splice(at === -1 ? next.length : at, 0, registration);
    this.#handlers.set(name, next as Registration<never>[]);
    return () => {
      const current = (this.#handlers.get(name) ?? []) as Registration<Events[Name]>[];
      this.#handlers.set(name, current.filter((existing) => existing !== registration) as Registration<never>[]);
    };
  }

  /** Runs the event's handlers in order; the first value a handler returns ends it and is returned. */
  fire<Name extends keyof Events>(name: Name, event: Events[Name]): unknown {
    const list = this.#handlers.get(name) as Registration<Events[Name]>[] | undefined;
    if (!list) return undefined;
    for (const { handler } of list) {
      const result = handler(event);
      if (result !== undefined) return result;
    }
    return undefined;
  }
}
