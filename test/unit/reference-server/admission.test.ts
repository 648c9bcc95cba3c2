import { describe, expect, it } from "vitest";
import { Admission } from "../../../src/sim/transport/admission.js";

describe("Admission (a listener's cap on connections waiting to authenticate)", () => {
  it("over the cap the oldest waiting connection is evicted; released ones do not count", () => {
    const admission = new Admission(2);
    const evicted: string[] = [];
    const connection = (name: string) => ({ evict: () => void evicted.push(name) });
    const [a, b, c, d] = ["a", "b", "c", "d"].map(connection) as [ReturnType<typeof connection>, ReturnType<typeof connection>, ReturnType<typeof connection>, ReturnType<typeof connection>];
    admission.admit(a);
    admission.admit(b);
    admission.release(a);
    admission.admit(c);
    expect(evicted).toEqual([]);
    admission.admit(d);
    expect(evicted).toEqual(["b"]);
    expect(admission.pending).toBe(2);
  });
});
