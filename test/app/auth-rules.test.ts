// Pure auth rules: the password policy and the login back-off.
import { describe, expect, it } from "vitest";
import { checkPassword } from "../../src/app/auth/password-policy.js";
import { backoffMs } from "../../src/app/auth/login-backoff.js";
import { lockAfterAttemptMs } from "../../src/app/ports/throttle-store.js";

const policy = { lengthMin: 10, lengthMax: 256 };

describe("checkPassword", () => {
  it.each([
    ["correct horse battery", "alice", []],
    ["short", "alice", ["password must have at least 10 characters"]],
    ["aaaaaaaaaaaa", "alice", ["password must not repeat a single character"]],
    ["alice-is-great-1", "alice", ["password must not contain the username"]],
    [" padded password ", "bob", ["password must not start or end with whitespace"]],
    ["x".repeat(257) + "y", "bob", ["password must have at most 256 characters"]],
    ["ünïcødé-pässwörd", "bob", []],
  ])("%j for %s", (password, username, problems) => {
    expect(checkPassword(password, username, policy)).toEqual(problems);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(checkPassword("🎰🎰🎲🎲🃏🃏♠♥♦♣", "bob", policy)).toEqual([]);
  });
});

describe("backoffMs", () => {
  const rule = { failuresFree: 5, baseMs: 1000, msMax: 60_000 };
  it.each([
    [0, 0],
    [5, 0],
    [6, 1000],
    [7, 2000],
    [8, 4000],
    [11, 32_000],
    [12, 60_000],
    [1_000_000, 60_000],
  ])("after %i failures: %i ms", (failures, ms) => {
    expect(backoffMs(failures, rule)).toBe(ms);
  });
});

describe("lockAfterAttemptMs", () => {
  const rule = { attemptsFree: 5, baseMs: 1000, msMax: 60_000 };
  it.each([
    [1, 0],
    [4, 0],
    [5, 1000],
    [6, 2000],
    [7, 4000],
    [10, 32_000],
    [11, 60_000],
    [1_000_000, 60_000],
  ])("reserving attempt %i locks for %i ms", (attempt, ms) => {
    expect(lockAfterAttemptMs(attempt, rule)).toBe(ms);
  });
});
