import { describe, expect, it } from "vitest";
import { formatSpread, spread } from "../../../bench/spread.js";

describe("bench spread: min / median / max of the rounds", () => {
  it("an odd count: the middle value, whatever the order", () => {
    expect(spread([30, 10, 20])).toEqual({ min: 10, median: 20, max: 30 });
  });

  it("an even count: the mean of the two middle values", () => {
    expect(spread([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
  });

  it("formats each through the given function", () => {
    expect(formatSpread([1.26, 3.04, 2.5], (value) => value.toFixed(1))).toBe("1.3 / 2.5 / 3.0");
  });
});
