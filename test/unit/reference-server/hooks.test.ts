import { describe, expect, it } from "vitest";
import { Hooks } from "../../../src/sim/xmpp-server/hooks.js";

/** Named events with priorities, as Prosody's module:hook and fire_event. */

describe("Hooks", () => {
  it("runs higher priorities first, equal ones in the order they were added", () => {
    const hooks = new Hooks<{ e: { log: string[] } }>();
    hooks.hook("e", ({ log }) => void log.push("0a"));
    hooks.hook("e", ({ log }) => void log.push("10"), 10);
    hooks.hook("e", ({ log }) => void log.push("0b"));
    hooks.hook("e", ({ log }) => void log.push("-1"), -1);
    const log: string[] = [];
    expect(hooks.fire("e", { log })).toBeUndefined();
    expect(log).toEqual(["10", "0a", "0b", "-1"]);
  });

  it("the first handler that returns a value ends the event, and fire returns it", () => {
    const hooks = new Hooks<{ e: { log: string[] } }>();
    hooks.hook("e", ({ log }) => void log.push("first"), 1);
    hooks.hook("e", () => true);
    hooks.hook("e", ({ log }) => void log.push("never"), -1);
    const log: string[] = [];
    expect(hooks.fire("e", { log })).toBe(true);
    expect(log).toEqual(["first"]);
  });

  it("a handler removed, or added, while the event runs does not change that run", () => {
    const hooks = new Hooks<{ e: { log: string[] } }>();
    let removeSecond = (): void => {};
    hooks.hook("e", ({ log }) => {
      log.push("first");
      removeSecond();
      hooks.hook("e", ({ log: later }) => void later.push("added"));
    });
    removeSecond = hooks.hook("e", ({ log }) => void log.push("second"));
    const run1: string[] = [];
    hooks.fire("e", { log: run1 });
    expect(run1).toEqual(["first", "second"]);
    const run2: string[] = [];
    hooks.fire("e", { log: run2 });
    expect(run2).toEqual(["first", "added"]);
  });

  it("an event nobody hooked returns undefined", () => {
    expect(new Hooks<{ e: object }>().fire("e", {})).toBeUndefined();
  });
});
