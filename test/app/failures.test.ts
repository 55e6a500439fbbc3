// The app layer's error policy: which exceptions are an outage (SERVICE_UNAVAILABLE, retry) and which a bug (INTERNAL).
import { describe, expect, it } from "vitest";
import { busyError, isServiceUnavailable } from "../../src/app/ports/failures.js";

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe("isServiceUnavailable", () => {
  it("an unreachable or overloaded backing service is an outage", () => {
    for (const code of ["53300", "57014", "57P01", "57P03", "40001", "40P01", "55P03", "08001", "08006", "08P01", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT"]) {
      expect([code, isServiceUnavailable(pgError(code))]).toEqual([code, true]);
    }
    expect(isServiceUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isServiceUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
    expect(isServiceUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isServiceUnavailable(new Error("Connection is closed."))).toBe(true);
    expect(isServiceUnavailable(Object.assign(new Error("x"), { name: "MaxRetriesPerRequestError" }))).toBe(true);
    expect(isServiceUnavailable(busyError("round store queue is full"))).toBe(true);
  });

  it("anything else is a bug: constraint violations, type errors, bad SQL, non-errors", () => {
    for (const error of [
      pgError("23505"),
      pgError("22P02"),
      pgError("42601"),
      new TypeError("x is undefined"),
      new Error("ledger invariant violated"),
      "text",
      null,
      undefined,
      42,
    ]) {
      expect(isServiceUnavailable(error)).toBe(false);
    }
  });
});
