/** Maps event names to listener argument tuples, e.g. `{ enabled: [Registration] }`. */
export type EventMap = Record<string, unknown[]>;

export type Listener<Args extends unknown[]> = (...args: Args) => void;

// Listeners are stored untyped; `on`/`emit` keep the name → arguments pairing typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyListener = (...args: any[]) => void;

/** A `once` wrapper knows the listener it wraps, so `off(name, listener)` can find it. */
type OnceWrapper = AnyListener & { listener?: AnyListener };

/**
 * A typed event emitter with no platform dependency (Node's `events` is not everywhere the SDK
 * runs). A throwing listener never breaks the emitter or the other listeners.
 */
export class Emitter<Events extends EventMap> {
  readonly #listeners = new Map<keyof Events, Set<OnceWrapper>>();

  on<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): this {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener as AnyListener);
    return this;
  }

  /** Removes `listener`, also when it was added with `once` and has not fired yet. */
  off<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): this {
    const set = this.#listeners.get(name);
    for (const registered of set ?? []) {
      if (registered === listener || registered.listener === listener) {
        set!.delete(registered);
        break;
      }
    }
    return this;
  }

  once<Name extends keyof Events>(name: Name, listener: Listener<Events[Name]>): this {
    const wrapper: OnceWrapper = (...args: Events[Name]) => {
      this.off(name, wrapper);
      listener(...args);
    };
    wrapper.listener = listener as AnyListener;
    return this.on(name, wrapper);
  }

  protected emit<Name extends keyof Events>(name: Name, ...args: Events[Name]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])]) {
      try {
        listener(...args);
      } catch (error) {
        // A listener's bug must not break delivery to the others; surface it asynchronously.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  protected listenerCount(name: keyof Events): number {
    return this.#listeners.get(name)?.size ?? 0;
  }
}
