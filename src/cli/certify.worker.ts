/**
 * One worker of `croupier certify`: plays its share of a game's rounds with its own RNG, and returns
 * what the statistical battery needs — the outcome sequences, outcome counts with their exact
 * probabilities, RTP sums (bigint) and convergence checkpoints, game checks, and the NIST p-values of
 * its share of the raw bit stream. The battery's judgement happens in the command, on merged results.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { CryptoRng } from "../adapters/node/rng.crypto.js";
import { apply as blackjackApply, defaultBlackjackRules, newTable as newBlackjackTable } from "../engine/blackjack/index.js";
import type { BlackjackState, HandOutcome } from "../engine/blackjack/index.js";
import { basicStrategyAction } from "../engine/blackjack/blackjack.strategy.js";
import { ByteStreamRng, nistOnWords, RtpAccumulator, StreamExhausted, type NistPValues } from "../engine/certify/index.js";
import {
  apply as holdemApply,
  defaultHoldemRules,
  legalActions,
  newTable as newHoldemTable,
  startHand,
  type HoldemAction,
  type HoldemState,
} from "../engine/holdem/index.js";
import { cardRank, cardSuit } from "../engine/poker/cards.js";
import { defaultRouletteLimits, pocketCount, settle, spin, validateBets } from "../engine/roulette/index.js";
import { SeededRng, uniformInt, type Rng } from "../engine/rng/index.js";
import { compileSlot, crownJewels, newSlotSession, play, type SlotSession } from "../engine/slots/index.js";

export const certifiedGames = ["roulette", "slots", "blackjack", "holdem"] as const;
export type CertifiedGame = (typeof certifiedGames)[number];

export interface WorkerInput {
  readonly game: CertifiedGame;
  readonly rounds: number;
  /** null: the production CSPRNG. Otherwise a SeededRng from this string (reproducible runs). */
  readonly seed: string | null;
  /** A lab's captured stream instead (`--rng-file`): this worker's byte range of the file. `rounds` is then a cap. */
  readonly file?: { readonly path: string; readonly offset: number; readonly length: number } | null;
  readonly nistSequences: number;
  readonly nistBits: number;
  readonly checkpoints: number;
}

/** A sequence of outcomes uniform on [0, range) under the null hypothesis, for the empirical tests. */
export interface OutcomeSequence {
  readonly name: string;
  readonly range: number;
  readonly values: Uint8Array;
}
/** Counts of categories with exact probabilities, for a chi-square goodness of fit. */
export interface OutcomeFit {
  readonly name: string;
  readonly labels: readonly string[];
  readonly observed: number[];
  readonly probabilities: readonly number[];
}
export interface GameCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}
export interface Checkpoint {
  readonly rounds: number;
  readonly stakeMinor: bigint;
  readonly returnMinor: bigint;
}

export interface WorkerResult {
  readonly rounds: number;
  /** With `--rng-file`: true when the stream ran out before the round cap (the unfinished round is dropped). */
  readonly exhausted: boolean;
  readonly sequences: OutcomeSequence[];
  readonly fits: OutcomeFit[];
  readonly rtp: ReturnType<RtpAccumulator["sums"]> | null;
  readonly checkpoints: Checkpoint[];
  readonly checks: GameCheck[];
  readonly facts: Record<string, number>;
  readonly nist: NistPValues;
}

export type WorkerMessage = { readonly type: "progress"; readonly rounds: number } | { readonly type: "result"; readonly result: WorkerResult };

/** Copies the first words the game's RNG produces: the raw bit stream the NIST tests judge. */
class TapRng implements Rng {
  filled = 0;
  constructor(
    private readonly inner: Rng,
    readonly words: Uint32Array,
  ) {}
  nextUint32(): number {
    const value = this.inner.nextUint32();
    if (this.filled < this.words.length) this.words[this.filled++] = value;
    return value;
  }
  /** If the rounds used fewer words than the NIST sample needs, the same generator supplies the rest. */
  complete(): Uint32Array {
    while (this.filled < this.words.length) this.words[this.filled++] = this.inner.nextUint32();
    return this.words;
  }
}

interface Simulation {
  /** Plays one round; returns its stake and return (zero stake for games without an RTP). */
  round(index: number): void;
  /** `played` rounds completed (fewer than input.rounds when a captured stream ran out). */
  finish(played: number): Omit<WorkerResult, "rounds" | "nist" | "checkpoints" | "exhausted">;
  readonly rtp: RtpAccumulator | null;
}

const progressEvery = 1 << 15;

function readRange(file: NonNullable<WorkerInput["file"]>): Uint8Array {
  const bytes = new Uint8Array(file.length);
  const fd = openSync(file.path, "r");
  try {
    for (let done = 0; done < file.length;) {
      const read = readSync(fd, bytes, done, file.length - done, file.offset + done);
      if (read === 0) throw new Error(`${file.path} is shorter than expected (read ${done} of ${file.length} bytes at ${file.offset})`);
      done += read;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

function sourceOf(input: WorkerInput): Rng {
  if (input.file !== undefined && input.file !== null) return new ByteStreamRng(readRange(input.file));
  return input.seed === null ? new CryptoRng() : new SeededRng(input.seed);
}

/** Blackjack shuffles its first shoe as the table opens: a captured range too short for it ends here, with a message. */
function startSimulation(rng: Rng, input: WorkerInput): Simulation {
  try {
    return simulations[input.game](rng, input);
  } catch (error) {
    if (error instanceof StreamExhausted)
      throw new Error(
        `the captured stream's ${input.file?.length ?? 0} bytes for this worker ran out before the first ${input.game} round: supply a longer stream`,
      );
    throw error;
  }
}

export function runWorker(input: WorkerInput, report: (message: WorkerMessage) => void, source: Rng = sourceOf(input)): WorkerResult {
  const tap = new TapRng(source, new Uint32Array(input.nistSequences * Math.ceil(input.nistBits / 32)));
  const simulation = startSimulation(tap, input);
  const checkpoints: Checkpoint[] = [];
  const every = Math.max(1, Math.floor(input.rounds / Math.max(1, input.checkpoints)));
  let reported = 0;
  let played = 0;
  let exhausted = false;
  try {
    for (; played < input.rounds; played++) {
      simulation.round(played);
      if ((played + 1) % every === 0 && simulation.rtp !== null)
        checkpoints.push({ rounds: played + 1, stakeMinor: simulation.rtp.stakeMinor, returnMinor: simulation.rtp.returnMinor });
      if ((played + 1) % progressEvery === 0) {
        report({ type: "progress", rounds: played + 1 - reported });
        reported = played + 1;
      }
    }
  } catch (error) {
    // Only a captured stream ends; the round it interrupted is not counted (simulations record a round once it is complete).
    if (!(error instanceof StreamExhausted)) throw error;
    exhausted = true;
  }
  report({ type: "progress", rounds: played - reported });
  // The command sizes a captured stream's NIST sample to fit its byte range, so completing the sample never runs out.
  const nist = nistOnWords(tap.complete(), input.nistBits);
  return { ...simulation.finish(played), rounds: played, exhausted, checkpoints, nist };
}

const simulations: Record<CertifiedGame, (rng: Rng, input: WorkerInput) => Simulation> = {
  roulette: rouletteSimulation,
  slots: slotsSimulation,
  blackjack: blackjackSimulation,
  holdem: holdemSimulation,
};

/**
 * Roulette: every spin carries the same bets, one of each kind (a straight, a split, a street, a
 * corner, a six line, a dozen, a column, red), 1.00 each; every bet returns 36/37, so the whole card does.
 */
function rouletteSimulation(rng: Rng, input: WorkerInput): Simulation {
  const validated = validateBets(
    [
      { type: "straight", numbers: [17], stakeMinor: 100n },
      { type: "split", numbers: [17, 20], stakeMinor: 100n },
      { type: "street", numbers: [16, 17, 18], stakeMinor: 100n },
      { type: "corner", numbers: [13, 14, 16, 17], stakeMinor: 100n },
      { type: "six_line", numbers: [13, 14, 15, 16, 17, 18], stakeMinor: 100n },
      { type: "dozen", index: 2, stakeMinor: 100n },
      { type: "column", index: 2, stakeMinor: 100n },
      { type: "red", stakeMinor: 100n },
    ],
    defaultRouletteLimits,
  );
  if (validated.status !== "ok") throw new Error(`certify bet card refused: ${validated.status}`);
  const bets = validated.bets;
  // Settling is a lookup per pocket: the engine's settle, computed once for each of the 37 pockets.
  const returns = Array.from({ length: pocketCount }, (_, pocket) => settle(bets, pocket).totalReturnMinor);
  // The paytable, exactly: over the 37 equally likely pockets each bet must return 36 times its stake (RTP 36/37).
  const exactBets = bets.filter(
    (bet) => Array.from({ length: pocketCount }, (_, pocket) => settle([bet], pocket).totalReturnMinor).reduce((a, b) => a + b, 0n) === 36n * bet.stakeMinor,
  );
  const pockets = new Uint8Array(input.rounds);
  const rtp = new RtpAccumulator();
  return {
    rtp,
    round(index) {
      const pocket = spin(rng);
      pockets[index] = pocket;
      rtp.add(validated.totalStakeMinor, returns[pocket] as bigint);
    },
    finish(played) {
      return {
        sequences: [{ name: "pocket", range: pocketCount, values: pockets.subarray(0, played) }],
        fits: [],
        rtp: rtp.sums(),
        checks: [
          {
            name: "each bet returns exactly 36/37 of its stake over the 37 pockets (the engine's settle)",
            passed: exactBets.length === bets.length,
            detail: `${exactBets.length} of ${bets.length} bet kinds`,
          },
        ],
        facts: {},
      };
    },
  };
}

/** Slots: Crown Jewels at 1.00 a spin; a round is a paid spin and the free spins it awards. */
function slotsSimulation(rng: Rng, input: WorkerInput): Simulation {
  const slot = compileSlot(crownJewels);
  const stakeMinor = 100n;
  const firstReel = new Uint8Array(input.rounds);
  const stopCounts = slot.reels.map((strip) => new Array<number>(strip.length).fill(0));
  const rtp = new RtpAccumulator();
  let jackpots = 0;
  let features = 0;
  return {
    rtp,
    round(index) {
      let session: SlotSession = newSlotSession;
      let returned = 0n;
      const paid = play(slot, session, { type: "paid_spin", stakeMinor }, rng);
      if (paid.status !== "ok") throw new Error(`paid spin refused: ${paid.status}`);
      returned += paid.result.totalWinMinor;
      session = paid.session;
      while (session.freeSpinsLeft > 0) {
        const free = play(slot, session, { type: "free_spin" }, rng);
        if (free.status !== "ok") throw new Error(`free spin refused: ${free.status}`);
        returned += free.result.totalWinMinor;
        session = free.session;
      }
      // Recorded once the round is complete, so a captured stream that runs out mid-round leaves no trace of it.
      paid.result.stops.forEach((stop, reel) => {
        const counts = stopCounts[reel] as number[];
        counts[stop] = (counts[stop] as number) + 1;
      });
      firstReel[index] = paid.result.stops[0] as number;
      if (paid.result.jackpotTriggered) jackpots++;
      if (paid.session.freeSpinsLeft > 0) features++;
      rtp.add(stakeMinor, returned);
    },
    finish(played) {
      return {
        sequences: [{ name: "reel 1 stop", range: (slot.reels[0] as readonly number[]).length, values: firstReel.subarray(0, played) }],
        fits: stopCounts.map((observed, reel) => ({
          name: `reel ${reel + 1} stops`,
          labels: observed.map((_, stop) => String(stop)),
          observed,
          probabilities: observed.map(() => 1 / observed.length),
        })),
        rtp: rtp.sums(),
        checks: [],
        facts: { jackpotsTriggered: jackpots, featuresTriggered: features },
      };
    },
  };
}

/**
 * Blackjack: one seat betting 1.00, played by basic strategy, insurance declined. The uniform sequence
 * is the first card of every shoe (each of the 52 cards is equally likely there after a fair shuffle).
 */
function blackjackSimulation(rng: Rng): Simulation {
  const rules = defaultBlackjackRules;
  let state: BlackjackState = newBlackjackTable(rules, rng);
  let shoeCards = state.shoe.cards;
  const firstCards: number[] = [state.shoe.cards[0] as number];
  const rtp = new RtpAccumulator();
  let unbalanced = 0;
  const outcomes: Record<HandOutcome, number> = { blackjack: 0, win: 0, push: 0, lose: 0 };
  const step = (action: Parameters<typeof blackjackApply>[1]) => {
    const next = blackjackApply(state, action, rng);
    if (next.status !== "ok") throw new Error(`blackjack ${action.type} refused: ${next.status}`);
    state = next.state;
    for (const event of next.events) {
      if (event.type === "hand_settled") outcomes[event.outcome]++;
      if (event.type === "round_settled") {
        rtp.add(event.stakeMinor, event.returnMinor);
        if (event.returnMinor < 0n || event.stakeMinor <= 0n) unbalanced++;
      }
    }
  };
  return {
    rtp,
    round() {
      step({ type: "deal", betsMinor: [100n] });
      // A new full shoe (a dry shoe's reshuffled discards, cut card at 0, are not a full deck and are skipped).
      if (state.shoe.cards !== shoeCards) {
        shoeCards = state.shoe.cards;
        if (state.shoe.cutCardIndex > 0) firstCards.push(shoeCards[0] as number);
      }
      if (state.phase === "insurance") step({ type: "insurance", seat: 0, take: false });
      for (let action = basicStrategyAction(state); action !== null; action = basicStrategyAction(state)) step({ type: action, seat: state.turn?.seat ?? 0 });
    },
    finish() {
      return {
        sequences: [{ name: "first card of each shoe", range: 52, values: Uint8Array.from(firstCards) }],
        fits: [],
        rtp: rtp.sums(),
        checks: [
          { name: "every round settles with a positive stake and a non-negative return", passed: unbalanced === 0, detail: `${unbalanced} unbalanced rounds` },
        ],
        facts: { shoes: firstCards.length, ...outcomes },
      };
    },
  };
}

/** The 169 starting-hand classes: pairs on the diagonal, suited above it, offsuit below. */
const startingHandLabels = Array.from({ length: 169 }, (_, i) => {
  const [high, low] = [Math.floor(i / 13), i % 13];
  const ranks = "23456789TJQKA";
  if (high === low) return `${ranks[high]}${ranks[low]}`;
  return high > low ? `${ranks[high]}${ranks[low]}s` : `${ranks[low]}${ranks[high]}o`;
});
const startingHandProbabilities = startingHandLabels.map((_, i) => {
  const [a, b] = [Math.floor(i / 13), i % 13];
  return (a === b ? 6 : a > b ? 4 : 12) / 1326;
});

function startingHandClass(c1: number, c2: number): number {
  const [high, low] = cardRank(c1) >= cardRank(c2) ? [cardRank(c1), cardRank(c2)] : [cardRank(c2), cardRank(c1)];
  return cardSuit(c1) === cardSuit(c2) || high === low ? high * 13 + low : low * 13 + high;
}

/**
 * Hold'em: six seats of simulated players choosing random legal actions (from their own generator, so
 * the certified RNG only shuffles), rebuying when short. Checks deal uniformity on the deck the RNG
 * shuffled, and the money rules: chips conserved in every hand, rake within the cap and only after a flop.
 */
function holdemSimulation(rng: Rng, input: WorkerInput): Simulation {
  const rules = defaultHoldemRules;
  const buyIn = 10_000n;
  let state: HoldemState = newHoldemTable(rules, new Array<bigint>(rules.seatCount).fill(buyIn));
  const players = new SeededRng(`holdem-players:${input.seed ?? "crypto"}:${input.rounds}`);
  const firstCards = new Uint8Array(input.rounds);
  const starting = new Array<number>(169).fill(0);
  const flop = new Array<number>(52).fill(0);
  const river = new Array<number>(52).fill(0);
  const facts = { handsWithFlop: 0, showdowns: 0, rakeMinor: 0, conservationFailures: 0, rakeCapBreaches: 0, rakeWithoutFlop: 0 };
  const chips = () => state.seats.reduce((sum, seat) => sum + (seat?.stackMinor ?? 0n), 0n);
  return {
    rtp: null,
    round(index) {
      for (const [seat, occupant] of state.seats.entries()) {
        if (occupant !== null && occupant.stackMinor < rules.bigBlindMinor) {
          state = holdemApply(holdemApply(state, { type: "leave", seat }).state, { type: "sit", seat, stackMinor: buyIn }).state;
        }
      }
      const before = chips();
      let step = startHand(state, rng);
      state = step.state;
      const deck = state.deck;
      const seated = state.seats.filter((seat) => seat !== null && seat.inHand).length;
      firstCards[index] = deck[0] as number;
      const hole = startingHandClass(deck[0] as number, deck[seated] as number);
      const flopCard = deck[2 * seated + 1] as number;
      const riverCard = deck[2 * seated + 7] as number;
      starting[hole] = (starting[hole] as number) + 1;
      flop[flopCard] = (flop[flopCard] as number) + 1;
      river[riverCard] = (river[riverCard] as number) + 1;
      let rake = 0n;
      let sawFlop = false;
      for (;;) {
        for (const event of step.events) {
          if (event.type === "board_dealt" && event.street === "flop") sawFlop = true;
          if (event.type === "showdown") facts.showdowns++;
          if (event.type === "hand_completed") rake = event.rakeMinor;
        }
        if (state.phase === "between_hands") break;
        step = holdemApply(state, randomAction(state, players));
        if (step.status !== "ok") throw new Error(`hold'em action refused: ${step.status}`);
        state = step.state;
      }
      if (chips() + rake !== before) facts.conservationFailures++;
      if (rake > rules.rakeCapMinor) facts.rakeCapBreaches++;
      if (!sawFlop && rake > 0n) facts.rakeWithoutFlop++;
      if (sawFlop) facts.handsWithFlop++;
      facts.rakeMinor += Number(rake);
    },
    finish(played) {
      return {
        sequences: [{ name: "first card dealt", range: 52, values: firstCards.subarray(0, played) }],
        fits: [
          { name: "first player's starting hand (169 classes)", labels: startingHandLabels, observed: starting, probabilities: startingHandProbabilities },
          { name: "first flop card", labels: cardLabels, observed: flop, probabilities: flop.map(() => 1 / 52) },
          { name: "river card", labels: cardLabels, observed: river, probabilities: river.map(() => 1 / 52) },
        ],
        rtp: null,
        checks: [
          {
            name: "chips conserved in every hand (stacks + rake)",
            passed: facts.conservationFailures === 0,
            detail: `${facts.conservationFailures} hands out of balance`,
          },
          { name: "rake never above the cap", passed: facts.rakeCapBreaches === 0, detail: `${facts.rakeCapBreaches} hands above ${rules.rakeCapMinor}` },
          { name: "no rake without a flop", passed: facts.rakeWithoutFlop === 0, detail: `${facts.rakeWithoutFlop} hands raked before the flop` },
        ],
        facts,
      };
    },
  };
}

const cardLabels = Array.from({ length: 52 }, (_, card) => `${"23456789TJQKA"[cardRank(card)]}${"cdhs"[cardSuit(card)]}`);

/** A loose table: facing a bet, fold 45%; otherwise mostly check or call, sometimes raise the minimum, raise more, or shove. */
function randomAction(state: HoldemState, players: Rng): HoldemAction {
  const legal = legalActions(state);
  if (legal === null) throw new Error("no seat to act");
  const seat = legal.seat;
  const roll = uniformInt(players, 100);
  if (roll < 45 && !legal.canCheck) return { type: "fold", seat };
  if (roll < 53 && legal.raise !== null) return { type: "raise", seat, toMinor: legal.raise.minToMinor };
  if (roll < 56 && legal.raise !== null) return { type: "raise", seat, toMinor: (legal.raise.minToMinor + legal.raise.maxToMinor) / 2n };
  if (roll < 58 && legal.raise !== null) return { type: "all_in", seat };
  return legal.canCheck ? { type: "check", seat } : { type: "call", seat };
}

if (parentPort !== null && workerData !== null && typeof workerData === "object" && "game" in (workerData as object)) {
  const port = parentPort;
  const result = runWorker(workerData as WorkerInput, (message) => port.postMessage(message));
  port.postMessage({ type: "result", result } satisfies WorkerMessage);
}
