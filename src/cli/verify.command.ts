/**
 * `croupier verify`: recomputes a provably-fair round from its revealed seeds with the same pure engine
 * function the server ran, prints the outcome, and (with --result) checks a recorded one. Exits 1 when
 * the recorded result or the seed commitment does not match. docs/FAIRNESS.md describes the scheme.
 */
import { readFileSync } from "node:fs";
import { ConfigError, parseCommandArgs } from "../config/config.js";
import { checkRound, type RecalledRoundJson } from "../engine/fairness/index.js";
import { defaultBlackjackRules, newShoe } from "../engine/blackjack/index.js";
import { formatCard, orderedDeck, parseCards } from "../engine/poker/cards.js";
import { hashServerSeed, shuffleInPlace, verifyRound, type Rng } from "../engine/rng/index.js";
import { spin as rouletteSpin } from "../engine/roulette/index.js";
import { compileSlot, crownJewels, spin as slotSpin } from "../engine/slots/index.js";

export const verifiableGames = ["roulette", "slots", "holdem", "blackjack"] as const;
export type VerifiableGame = (typeof verifiableGames)[number];

/** How each game draws a round, and how its outcome is written and compared. */
interface RoundSpec {
  readonly play: (rng: Rng) => string;
  readonly describe: string;
  /** Whether a recorded result matches the recomputed outcome (after normalising the text). */
  readonly matches: (recorded: string, outcome: string) => boolean;
}

const slot = compileSlot(crownJewels);
const sameCards = (recorded: string, outcome: string): boolean => {
  const wanted = parseCards(recorded);
  const dealt = parseCards(outcome);
  return wanted !== undefined && dealt !== undefined && wanted.length > 0 && wanted.every((card, i) => dealt[i] === card);
};

const rounds: Record<VerifiableGame, RoundSpec> = {
  roulette: {
    describe: "winning pocket: uniformInt(rng, 37), one draw (more only after a rejection)",
    play: (rng) => String(rouletteSpin(rng)),
    matches: (recorded, outcome) => recorded.trim() === outcome,
  },
  slots: {
    describe: "Crown Jewels paid spin: reel stops left to right, uniformInt(rng, strip length) each",
    play: (rng) => {
      const result = slotSpin(slot, rng, { stakeMinor: 100n, freeSpin: false });
      if (result.status !== "ok") throw new Error(`slot spin refused: ${result.status}`);
      return result.result.stops.join(",");
    },
    matches: (recorded, outcome) => recorded.replace(/\s+/g, "") === outcome,
  },
  holdem: {
    describe: "the hand's deck: Fisher–Yates shuffle of 2c..As (51 uniform picks); a recorded prefix is compared",
    play: (rng) => shuffleInPlace(rng, orderedDeck()).map(formatCard).join(" "),
    matches: sameCards,
  },
  blackjack: {
    describe: `the shoe: Fisher–Yates shuffle of ${defaultBlackjackRules.decks} decks; a recorded prefix is compared`,
    play: (rng) => newShoe(defaultBlackjackRules, rng).cards.map(formatCard).join(" "),
    matches: sameCards,
  },
};

const usage = `croupier verify --round round.json
croupier verify --server-seed S --client-seed C --nonce N --game <${verifiableGames.join("|")}> [--server-seed-hash H] [--result R]

  --round FILE          a round exactly as GET /v1/rounds/<id> returns it ("-" reads standard input);
                        recomputes its outcome from its verification data and prints MATCHES or MISMATCH

  --server-seed-hash H  the SHA-256 commitment published before play; checked against the revealed seed
  --result R            the recorded outcome to check: a pocket (roulette), reel stops "3,17,4,22,9" (slots),
                        or the first cards dealt "As Kd 7h" (holdem deck, blackjack shoe)
Exit status: 0 verified, 1 mismatch, 2 bad arguments.`;

export interface VerifyArgs {
  readonly serverSeed: string;
  readonly clientSeed: string;
  readonly nonce: number;
  readonly game: VerifiableGame;
  readonly serverSeedHash: string | null;
  readonly result: string | null;
}

const verifyArgOptions = {
  round: { type: "string" },
  "server-seed": { type: "string" },
  "client-seed": { type: "string" },
  nonce: { type: "string" },
  game: { type: "string" },
  "server-seed-hash": { type: "string" },
  result: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export function parseVerifyArgs(argv: readonly string[]): VerifyArgs | { readonly roundFile: string } | "help" {
  const parsed = parseCommandArgs(argv, verifyArgOptions, { usage }).values;
  if (parsed.help === true) return "help";
  const values = new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const required = (name: string): string => {
    const value = values.get(name);
    if (value === undefined) throw new ConfigError(`verify needs --${name}\n\n${usage}`);
    return value;
  };
  const roundFile = values.get("round");
  if (roundFile !== undefined) {
    if (values.size > 1) throw new ConfigError(`--round takes no other option\n\n${usage}`);
    return { roundFile };
  }
  const game = required("game");
  if (!(verifiableGames as readonly string[]).includes(game)) throw new ConfigError(`--game must be one of ${verifiableGames.join(", ")}`);
  const nonce = Number(required("nonce"));
  if (!Number.isSafeInteger(nonce) || nonce < 0) throw new ConfigError("--nonce must be a non-negative integer");
  return {
    serverSeed: required("server-seed"),
    clientSeed: required("client-seed"),
    nonce,
    game: game as VerifiableGame,
    serverSeedHash: values.get("server-seed-hash") ?? null,
    result: values.get("result") ?? null,
  };
}

export async function runVerify(argv: string[]): Promise<void> {
  const args = parseVerifyArgs(argv);
  if (args === "help") {
    console.log(usage);
    return;
  }
  if ("roundFile" in args) {
    verifyRoundFile(args.roundFile);
    return;
  }
  const spec = rounds[args.game];
  const commitment = args.serverSeedHash ?? hashServerSeed(args.serverSeed);
  const verified = verifyRound({ ...args, serverSeedHashHex: commitment }, spec.play);
  if (verified.status === "server_seed_hash_mismatch") {
    console.log(`server seed hash mismatch: committed ${verified.committedHashHex}, revealed seed hashes to ${verified.revealedHashHex}`);
    process.exitCode = 1;
    return;
  }
  console.log(`game: ${args.game} (${spec.describe})`);
  console.log(
    `server seed SHA-256: ${hashServerSeed(args.serverSeed)}${args.serverSeedHash === null ? " (no commitment given to compare)" : " (matches the commitment)"}`,
  );
  console.log(`client seed: ${args.clientSeed}, nonce: ${args.nonce}, uint32 values drawn: ${verified.drawnUint32s}`);
  console.log(`outcome: ${verified.outcome}`);
  if (args.result === null) return;
  if (spec.matches(args.result, verified.outcome)) {
    console.log(`recorded result ${args.result}: MATCHES`);
  } else {
    console.log(`recorded result ${args.result}: MISMATCH`);
    process.exitCode = 1;
  }
}

/** Exit status: 0 MATCHES, 1 MISMATCH or not verifiable (a live-dealer result, a seed not revealed yet), 2 bad input. */
function verifyRoundFile(file: string): void {
  let round: RecalledRoundJson | null;
  try {
    round = JSON.parse(readFileSync(file === "-" ? 0 : file, "utf8")) as RecalledRoundJson | null;
  } catch (error) {
    throw new ConfigError(`--round ${file}: ${(error as Error).message}`);
  }
  if (typeof round !== "object" || round === null || typeof round.game !== "string" || !("verification" in round)) {
    throw new ConfigError(`--round ${file}: not a round as GET /v1/rounds/<id> returns it`);
  }
  const checked = checkRound(round);
  for (const line of checked.lines) console.log(line);
  if (checked.verdict !== "MATCHES") process.exitCode = 1;
}
