import { describe, expect, it } from "vitest";
import { BenchUsageError, parseChainBenchOptions } from "../../../bench/options.js";

const parse = (line: string) => parseChainBenchOptions(line.split(" ").filter(Boolean));
const refusal = (line: string): string => {
  try {
    parse(line);
  } catch (error) {
    if (error instanceof BenchUsageError) return error.message;
    throw error;
  }
  throw new Error(`'${line}' was accepted`);
};

describe("npm run bench's options", () => {
  it("defaults: three sizes, 3 rounds each, 100 in flight, mod-push on the reference preset, no fan-out", () => {
    expect(parse("")).toEqual({
      users: 1000,
      messages: 20_000,
      sizes: [
        { users: 100, messages: 10_000 },
        { users: 1_000, messages: 20_000 },
        { users: 2_000, messages: 60_000 },
      ],
      rounds: 3,
      window: 100,
      mam: false,
      setup: "app-server",
      preset: "reference",
      dialect: "mod-push",
      encrypt: false,
      v1RateLimit: 0,
      mucMessages: 3,
      push2: false,
    });
  });

  it("--users or --messages runs one size (the other at its default)", () => {
    expect(parse("--users 50")).toMatchObject({ users: 50, messages: 20_000, sizes: [{ users: 50, messages: 20_000 }] });
    expect(parse("--messages 500 --rounds 1")).toMatchObject({ sizes: [{ users: 1000, messages: 500 }], rounds: 1 });
  });

  it("--push2 takes --users, --messages and --window only: it runs its own two setups", () => {
    expect(parse("--push2 --users 200 --messages 3000 --window 32")).toMatchObject({ push2: true, users: 200, messages: 3000, window: 32 });
    expect(refusal("--push2 --mam")).toMatch(/--push2 runs its own two setups.*drop --mam/);
    expect(refusal("--push2 --dialect p2")).toMatch(/drop --dialect/);
  });

  it("--dialect picks the app server's dialect; tigase runs under preset tigase unless --preset says otherwise", () => {
    expect(parse("--dialect p2")).toMatchObject({ dialect: "p2", preset: "reference" });
    expect(parse("--dialect tigase")).toMatchObject({ dialect: "tigase", preset: "tigase" });
    expect(parse("--dialect tigase --preset prosody")).toMatchObject({ dialect: "tigase", preset: "prosody" });
    expect(parse("--setup mongooseim-pubsub-less")).toMatchObject({ setup: "mongooseim-pubsub-less", preset: "mongooseim", dialect: "mod-push" });
  });

  it("v1's rate limit is set explicitly: 0 unless --v1-rate-limit names one, and only with --dialect v1", () => {
    expect(parse("--dialect v1")).toMatchObject({ dialect: "v1", v1RateLimit: 0 });
    expect(parse("--dialect v1 --v1-rate-limit 5000")).toMatchObject({ v1RateLimit: 5000 });
    expect(refusal("--v1-rate-limit 10")).toBe("--v1-rate-limit applies to --dialect v1 only");
    expect(refusal("--dialect v1 --v1-rate-limit -1")).toBe("--v1-rate-limit must be a whole number of at least 0, not '-1'");
  });

  it("--encrypt needs the tigase dialect and preset", () => {
    expect(parse("--dialect tigase --encrypt")).toMatchObject({ encrypt: true, preset: "tigase" });
    const message = "--encrypt needs --dialect tigase with preset tigase (the reference server's Tigase encrypt module)";
    expect(refusal("--encrypt")).toBe(message);
    expect(refusal("--preset tigase --encrypt")).toBe(message);
    expect(refusal("--dialect tigase --preset reference --encrypt")).toBe(message);
  });

  it("--muc-fanout takes room sizes, runs alone, and bounds them", () => {
    expect(parse("--muc-fanout 10,100,1000")).toMatchObject({ mucFanout: [10, 100, 1000], mucMessages: 3 });
    expect(parse("--muc-fanout 5 --muc-messages 1")).toMatchObject({ mucFanout: [5], mucMessages: 1 });
    expect(refusal("--muc-fanout 10,x")).toBe("--muc-fanout takes room sizes from 1 to 10000, comma-separated, not 'x'");
    expect(refusal("--muc-fanout 20000")).toContain("from 1 to 10000");
    expect(refusal("--muc-fanout 10 --dialect p2")).toBe("--muc-fanout runs its own setup (reference preset, mod-push app server, MUC service); drop --dialect");
    expect(refusal("--muc-messages 2")).toBe("--muc-messages applies to --muc-fanout only");
  });

  it("refuses what it cannot run instead of falling back to a default", () => {
    expect(refusal("--dialect xmpp")).toBe("--dialect must be one of mod-push, p2, v1, tigase, not 'xmpp'");
    expect(refusal("--setup mongooseim-pubsub-full --dialect p2")).toBe("--dialect needs --setup app-server (mongooseim-pubsub-full has its own: mongooseim)");
    expect(refusal("--users 0")).toBe("--users must be a whole number of at least 1, not '0'");
    expect(refusal("--messages 1e9x")).toBe("--messages must be a whole number of at least 1, not '1e9x'");
    expect(refusal("--window")).toBe("--window needs a value");
    expect(refusal("--users 10 --users 20")).toBe("--users is given twice");
    expect(refusal("--dialects p2")).toContain("unknown option --dialects");
    expect(refusal("p2")).toBe("unexpected argument 'p2'");
  });
});
