import { afterEach, describe, expect, it, vi } from "vitest";
import { Emitter } from "../../src/protocol/index.js";

type Events = {
  registered: [node: string, secret: string];
  error: [Error];
  tick: [];
};

/** Exposes the protected members for the test. */
class TestEmitter extends Emitter<Events> {
  fire<Name extends keyof Events>(name: Name, ...args: Events[Name]): void {
    this.emit(name, ...args);
  }

  count(name: keyof Events): number {
    return this.listenerCount(name);
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("Emitter", () => {
  it("on: listeners get the arguments, in registration order", () => {
    const emitter = new TestEmitter();
    const calls: string[] = [];
    emitter.on("registered", (node, secret) => calls.push(`a:${node}:${secret}`));
    emitter.on("registered", (node) => calls.push(`b:${node}`));
    emitter.fire("registered", "n1", "s1");
    expect(calls).toEqual(["a:n1:s1", "b:n1"]);
  });

  it("on/off/once return the emitter for chaining", () => {
    const emitter = new TestEmitter();
    const listener = (): void => {};
    expect(emitter.on("tick", listener)).toBe(emitter);
    expect(emitter.once("tick", listener)).toBe(emitter);
    expect(emitter.off("tick", listener)).toBe(emitter);
  });

  it("events are separate: emitting one does not call the listeners of another", () => {
    const emitter = new TestEmitter();
    const tick = vi.fn();
    emitter.on("tick", tick);
    emitter.fire("registered", "n", "s");
    expect(tick).not.toHaveBeenCalled();
  });

  it("the same listener added twice is called once", () => {
    const emitter = new TestEmitter();
    const listener = vi.fn();
    emitter.on("tick", listener).on("tick", listener);
    emitter.fire("tick");
    expect(listener).toHaveBeenCalledTimes(1);
    expect(emitter.count("tick")).toBe(1);
  });

  it("off removes a listener; removing an unknown one is a no-op", () => {
    const emitter = new TestEmitter();
    const kept = vi.fn();
    const removed = vi.fn();
    emitter.on("tick", kept).on("tick", removed);
    emitter.off("tick", removed);
    emitter.off("tick", vi.fn());
    emitter.off("error", removed);
    emitter.fire("tick");
    expect(kept).toHaveBeenCalledTimes(1);
    expect(removed).not.toHaveBeenCalled();
    expect(emitter.count("tick")).toBe(1);
  });

  it("once fires a single time, then is removed", () => {
    const emitter = new TestEmitter();
    const listener = vi.fn();
    emitter.once("registered", listener);
    expect(emitter.count("registered")).toBe(1);
    emitter.fire("registered", "n1", "s1");
    emitter.fire("registered", "n2", "s2");
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith("n1", "s1");
    expect(emitter.count("registered")).toBe(0);
  });

  it("off with the original listener removes a once listener before it fires", () => {
    const emitter = new TestEmitter();
    const listener = vi.fn();
    emitter.once("tick", listener);
    emitter.off("tick", listener);
    emitter.fire("tick");
    expect(listener).not.toHaveBeenCalled();
    expect(emitter.count("tick")).toBe(0);
  });

  it("a function added with both on and once is removed one registration per off", () => {
    const emitter = new TestEmitter();
    const listener = vi.fn();
    emitter.on("tick", listener);
    emitter.once("tick", listener);
    expect(emitter.count("tick")).toBe(2);
    emitter.off("tick", listener);
    expect(emitter.count("tick")).toBe(1);
    emitter.off("tick", listener);
    expect(emitter.count("tick")).toBe(0);
    emitter.fire("tick");
    expect(listener).not.toHaveBeenCalled();
  });

  it("emitting an event without listeners does nothing", () => {
    const emitter = new TestEmitter();
    expect(() => emitter.fire("tick")).not.toThrow();
    expect(emitter.count("tick")).toBe(0);
  });

  it("a throwing listener does not stop the other listeners; its error is rethrown asynchronously", () => {
    const scheduled: Array<() => void> = [];
    vi.stubGlobal("queueMicrotask", (callback: () => void) => {
      scheduled.push(callback);
    });
    const emitter = new TestEmitter();
    const boom = new Error("listener bug");
    const before = vi.fn();
    const after = vi.fn();
    emitter.on("tick", before);
    emitter.on("tick", () => {
      throw boom;
    });
    emitter.on("tick", after);

    expect(() => emitter.fire("tick")).not.toThrow();
    expect(before).toHaveBeenCalledTimes(1);
    expect(after).toHaveBeenCalledTimes(1);
    expect(scheduled).toHaveLength(1);
    expect(() => scheduled[0]!()).toThrow(boom);

    emitter.fire("tick");
    expect(after).toHaveBeenCalledTimes(2);
  });

  it("listeners added or removed during an emit take effect from the next emit", () => {
    const emitter = new TestEmitter();
    const calls: string[] = [];
    const late = (): void => {
      calls.push("late");
    };
    const second = (): void => {
      calls.push("second");
    };
    emitter.on("tick", () => {
      calls.push("first");
      emitter.off("tick", second);
      emitter.on("tick", late);
    });
    emitter.on("tick", second);
    emitter.fire("tick");
    expect(calls).toEqual(["first", "second"]);
    calls.length = 0;
    emitter.fire("tick");
    expect(calls).toEqual(["first", "late"]);
  });
});
