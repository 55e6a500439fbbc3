// The error registry and docs/ERRORS.md must list the same codes with the same HTTP status.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { errors } from "../../src/protocol/errors.js";

const doc = readFileSync(new URL("../../docs/ERRORS.md", import.meta.url), "utf8");
const documented = new Map([...doc.matchAll(/^\| `(CROUPIER_ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1] as string, Number(m[2])]));

describe("error registry", () => {
  it("is documented exactly: no code missing from docs/ERRORS.md and none stale", () => {
    const registry = new Map(Object.values(errors).map((e) => [e.code as string, e.httpStatus]));
    expect([...documented.keys()].sort()).toEqual([...registry.keys()].sort());
    for (const [code, status] of registry) expect([code, documented.get(code)]).toEqual([code, status]);
  });

  it("names every code CROUPIER_ERR_<AREA>_<WHAT> after its key, with a real HTTP error status", () => {
    for (const [name, spec] of Object.entries(errors)) {
      expect(spec.code).toBe(`CROUPIER_ERR_${name}`);
      expect(spec.httpStatus).toBeGreaterThanOrEqual(400);
      expect(spec.message.length).toBeGreaterThan(10);
    }
  });
});
