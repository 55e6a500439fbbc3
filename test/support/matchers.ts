// vitest's asymmetric matchers (`expect.any(String)`, `expect.closeTo(1)`, …) are typed `any`, so an
// object literal holding one trips the type-checked lint rules (no-unsafe-assignment). These are the
// same matchers typed `unknown`: a value to compare with, never used as the type it stands for.
import { expect } from "vitest";

export const match = {
  any: (constructor: unknown): unknown => expect.any(constructor),
  stringContaining: (expected: string): unknown => expect.stringContaining(expected),
  stringMatching: (expected: string | RegExp): unknown => expect.stringMatching(expected),
  closeTo: (expected: number, precision?: number): unknown => expect.closeTo(expected, precision),
};
