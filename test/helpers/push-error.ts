import { expect } from "vitest";
import { PushError, type PushErrorCondition } from "../../src/protocol/index.js";

/**
 * Runs `fn` and returns the `PushError` it throws; fails the test when it throws anything else
 * (a TypeError from a parser is a bug) or nothing at all.
 */
export function catchPushError(fn: () => unknown): PushError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error("expected a PushError, but nothing was thrown");
  expect(thrown).toBeInstanceOf(PushError);
  return thrown as PushError;
}

/** Asserts that `fn` throws a `PushError` with exactly this condition, and returns it. */
export function expectPushError(fn: () => unknown, condition: PushErrorCondition): PushError {
  const error = catchPushError(fn);
  expect(error.condition).toBe(condition);
  return error;
}

/** Awaits `promise` and returns the `PushError` it rejects with; fails on success or on any other error. */
export async function rejection(promise: Promise<unknown>): Promise<PushError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error("expected a rejection");
  expect(thrown).toBeInstanceOf(PushError);
  return thrown as PushError;
}
