/**
 * Checks a round exactly as `GET /v1/rounds/<id>` returns it (`croupier verify --round round.json`, and
 * the player site's "verify in this browser": the engine is pure, so the same code runs in both).
 * It recomputes the outcome from the round's verification data (revealed server seed, client seed,
 * nonce) with the same pure functions the server ran, checks the seed against the commitment (and,
 * at shared tables, against the chain's published commitment), and says MATCHES or MISMATCH.
 */
import { chainReaches, hashServerSeed, ProvablyFairRng, shuffleInPlace, type Rng } from "../rng/index.js";
import { spin as rouletteSpin } from "../roulette/index.js";
import { compileSlot, crownJewels, playFeature, type SlotConfig } from "../slots/index.js";
import { orderedDeck } from "../poker/cards.js";

interface Verification {
  readonly scheme?: string;
  readonly provablyFair?: boolean;
  readonly note?: string;
  readonly serverSeedHash?: string;
  readonly serverSeed?: string | null;
  readonly clientSeed?: string;
  readonly nonce?: number;
  readonly cursor?: number;
  readonly uint32sDrawn?: number;
  readonly chain?: { readonly id: number; readonly commitment: string; readonly index: number; readonly length: number };
  readonly jackpotTrigger?: { readonly numerator: number; readonly denominator: number };
  readonly game?: string;
  readonly voidedNumber?: number;
  readonly cardsDealt?: number;
  readonly decks?: number;
  readonly shoeFirstCard?: number;
  readonly shoeRefilled?: boolean;
}

export interface RecalledRoundJson {
  readonly roundId: string;
  readonly tableId: string;
  readonly game: string;
  readonly status: string;
  readonly outcome: unknown;
  readonly verification: Verification | null;
}

export interface RoundCheck {
  readonly verdict: "MATCHES" | "MISMATCH" | "NOT_VERIFIABLE";
  readonly lines: readonly string[];
}

const slotGames: ReadonlyMap<string, SlotConfig> = new Map([[crownJewels.id, crownJewels]]);

/** Each game's replay: what it recomputes, and the recorded facts it compares them with. */
function replay(round: RecalledRoundJson, v: Verification, rng: Rng): { facts: [string, unknown, unknown][] } | string {
  switch (round.game) {
    case "roulette": {
      const number = rouletteSpin(rng);
      const recorded = round.status === "voided" ? v.voidedNumber : (round.outcome as { number?: number } | null)?.number;
      return { facts: [[round.status === "voided" ? "pocket it would have drawn (round voided)" : "winning pocket", recorded, number]] };
    }
    case "slots": {
      const config = slotGames.get(v.game ?? round.tableId);
      if (config === undefined) return `unknown slot game ${v.game ?? round.tableId}`;
      const trigger = v.jackpotTrigger ?? { numerator: 0, denominator: 1 };
      const slot = compileSlot({ ...config, jackpot: { ...config.jackpot, triggerNumerator: trigger.numerator, triggerDenominator: trigger.denominator } });
      const outcome = round.outcome as {
        stakeMinor: string;
        stops: number[];
        jackpotTriggered?: boolean;
        totalWinMinor: string;
        freeSpins: { stops?: number[] }[];
      };
      const played = playFeature(slot, BigInt(outcome.stakeMinor), rng);
      if ("status" in played) return `the recorded stake is refused by the game: ${played.status}`;
      return {
        facts: [
          ["reel stops", outcome.stops.join(","), played.stops.join(",")],
          ["jackpot triggered", outcome.jackpotTriggered === true, played.jackpotTriggered],
          ["free spins", outcome.freeSpins.map((f) => (f.stops ?? []).join(",")).join(" | "), played.freeSpins.map((f) => f.stops.join(",")).join(" | ")],
          ["total win (minor units, before any jackpot)", outcome.totalWinMinor, played.totalWinMinor],
        ],
      };
    }
    case "holdem": {
      // Cards are numbers 0-51 (rank × 4 + suit). Every card the hand showed comes from the run of the
      // deck that was dealt, and the board in the order it was dealt (GAMES.md gives the dealing order).
      const deck = shuffleInPlace(rng, orderedDeck());
      const run = deck.slice(0, v.cardsDealt ?? deck.length);
      const outcome = round.outcome as { board?: number[]; showdown?: { cards: number[] }[] } | null;
      const board = outcome?.board ?? [];
      const shown = (outcome?.showdown ?? []).flatMap((s) => s.cards);
      const boardInRun = run.filter((card) => board.includes(card));
      return {
        facts: [
          ["board, in the order of the dealt deck", board.join(" "), boardInRun.join(" ")],
          ["showdown cards found in the dealt deck", shown.length, shown.filter((card) => run.includes(card)).length],
        ],
      };
    }
    case "blackjack": {
      // The shoe (docs/FAIRNESS.md): Fisher-Yates over `decks` ordered decks; the round's cards are the run
      // of it from `shoeFirstCard`, `cardsDealt` long, dealt in casino order (GAMES.md): one card to each
      // seat that bet, the dealer's up card, a second card each, the hole card, then the players' draws in
      // turn, then the dealer's. Which cards a player drew depends on their decisions, so the seats are
      // checked by their first card and the run as a whole; the dealer's cards by their places.
      if (v.shoeRefilled === true) return "this round ran the shoe dry and was dealt from its reshuffled discards: not replayed by this command";
      if (v.decks === undefined || v.shoeFirstCard === undefined || v.cardsDealt === undefined) return "the round does not say where its cards lie in the shoe";
      const shoe = shuffleInPlace(
        rng,
        Array.from({ length: v.decks * 52 }, (_, i) => i % 52),
      );
      const run = shoe.slice(v.shoeFirstCard, v.shoeFirstCard + v.cardsDealt);
      const outcome = round.outcome as { dealer?: { cards: number[] }; seats?: { hands: { cards: number[] }[] }[] } | null;
      const dealer = outcome?.dealer?.cards ?? [];
      const seats = outcome?.seats ?? [];
      const n = seats.length;
      const sorted = (cards: readonly number[]) => [...cards].sort((a, b) => a - b).join(" ");
      return {
        facts: [
          [
            "cards on the table, sorted, = the run of the shoe, sorted",
            sorted([...dealer, ...seats.flatMap((s) => s.hands.flatMap((h) => h.cards))]),
            sorted(run),
          ],
          ["each seat's first card", seats.map((s) => s.hands[0]?.cards[0]).join(" "), run.slice(0, n).join(" ")],
          ["dealer's up card and hole card", dealer.slice(0, 2).join(" "), [run[n], run[2 * n + 1]].join(" ")],
          ["dealer's draws (the round's last cards)", dealer.slice(2).join(" "), run.slice(run.length - (dealer.length - 2)).join(" ")],
        ],
      };
    }
    default:
      return `game ${round.game} has no replay in this command`;
  }
}

export function checkRound(round: RecalledRoundJson): RoundCheck {
  const v = round.verification;
  const lines: string[] = [`round ${round.roundId} (${round.game} at ${round.tableId}, ${round.status})`];
  if (v === null || v.provablyFair !== true) {
    lines.push(`not provably fair: ${v?.note ?? (v === null ? "no verification data" : `recorded as ${JSON.stringify(v)}`)}`);
    return { verdict: "NOT_VERIFIABLE", lines };
  }
  if (typeof v.serverSeed !== "string") {
    lines.push("the server seed is not revealed yet (slots: rotate your seed pair; blackjack: when the shoe is replaced)");
    return { verdict: "NOT_VERIFIABLE", lines };
  }
  const hash = hashServerSeed(v.serverSeed);
  let ok = hash === v.serverSeedHash;
  lines.push(`server seed SHA-256: ${hash} ${ok ? "= the commitment shown before the round" : `!= the commitment ${v.serverSeedHash}`}`);
  if (v.chain !== undefined) {
    const linked = chainReaches(v.serverSeed, v.chain.index, v.chain.commitment);
    ok &&= linked;
    lines.push(
      `chain ${v.chain.id}: SHA-256 applied ${v.chain.index} times ${linked ? "gives" : "does NOT give"} the table's published commitment ${v.chain.commitment}`,
    );
  }
  const rng = new ProvablyFairRng({ serverSeed: v.serverSeed, clientSeed: v.clientSeed ?? "", nonce: v.nonce ?? 0 });
  const replayed = replay(round, v, rng);
  if (typeof replayed === "string") {
    lines.push(replayed);
    return { verdict: "NOT_VERIFIABLE", lines };
  }
  lines.push(
    `client seed: ${v.clientSeed}, nonce: ${v.nonce}, uint32 values drawn: ${rng.drawnUint32s} (recorded ${v.uint32sDrawn ?? "-"}), last cursor: ${rng.cursorLast} (recorded ${v.cursor ?? "-"})`,
  );
  for (const [name, recorded, computed] of replayed.facts) {
    const same = JSON.stringify(recorded) === JSON.stringify(computed);
    ok &&= same;
    lines.push(`${name}: recorded ${String(recorded)}, recomputed ${String(computed)}${same ? "" : "  <-- differs"}`);
  }
  if (v.uint32sDrawn !== undefined && round.game !== "holdem") ok &&= v.uint32sDrawn === rng.drawnUint32s;
  lines.push(ok ? "MATCHES" : "MISMATCH");
  return { verdict: ok ? "MATCHES" : "MISMATCH", lines };
}
