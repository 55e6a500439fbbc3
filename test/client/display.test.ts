// The SDK's display helpers: money from minor units without floats, cards by name.
import { describe, expect, it } from "vitest";
import { cardName, formatMinor } from "../../src/client/index.js";
import { formatCard } from "../../src/engine/poker/cards.js";

describe("formatMinor", () => {
  it.each([
    ["4950", 2, "49.50"],
    ["5", 2, "0.05"],
    ["0", 2, "0.00"],
    ["-150", 2, "-1.50"],
    [12345n, 3, "12.345"],
    ["7", 0, "7"],
    ["123456789012345678901234", 2, "1234567890123456789012.34"],
  ] as const)("%s with %i decimals is %s", (minor, decimals, shown) => {
    expect(formatMinor(minor, decimals)).toBe(shown);
  });
});

describe("cardName", () => {
  it("names every card as the engine does, and nothing else", () => {
    for (let card = 0; card < 52; card++) expect(cardName(card)).toBe(formatCard(card));
    expect([cardName(51), cardName(0), cardName(22)]).toEqual(["As", "2c", "7h"]);
    expect([cardName(52), cardName(-1), cardName(1.5)]).toEqual(["??", "??", "??"]);
  });
});
