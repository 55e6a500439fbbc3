import { Optional, Type, type TSchema } from "@sinclair/typebox";

/**
 * The `data` of every event each table room sends, per room kind, with who receives it, when, and one
 * example as a running server sent it. docs/GAME-ACTIONS.md is generated from these and from
 * table-actions.schemas.ts (`npm run docs:actions`); a test checks that every example matches its
 * schema and that the committed document is the generated one. Money is in minor units as decimal
 * strings; cards are integers 0–51 (rank × 4 + suit, ranks 2 … ace, suits clubs, diamonds, hearts,
 * spades).
 */
export interface TableEventSpec {
  /** everyone; `only the player` (others receive a `redacted` placeholder); `everyone + private part`. */
  readonly who: string;
  readonly when: string;
  readonly data: TSchema;
  /** The event's `data` as one player received it (with their private part, when there is one). */
  readonly example: unknown;
  /** Set on the example event: it is shown at `revealAt`, or it is private to its recipient. */
  readonly revealAt?: true;
  readonly private?: true;
}

const open = { additionalProperties: true } as const;
const minor = (description = "minor units, a decimal string") => Type.String({ pattern: "^-?[0-9]+$", description });
const int = (description?: string) => Type.Integer(description === undefined ? {} : { description });
const str = (description?: string) => Type.String(description === undefined ? {} : { description });
const ms = (description: string) => Type.Integer({ description: `${description} (server time, Unix ms)` });
const card = Type.Integer({ minimum: 0, maximum: 51, description: "a card, rank × 4 + suit" });
const opt = Optional;
const obj = (fields: Record<string, TSchema>, description?: string) => Type.Object(fields, { ...open, ...(description === undefined ? {} : { description }) });
const engine = (type: string, fields: Record<string, TSchema> = {}) => obj({ type: Type.Literal(type), ...fields });

const fairnessRecord = obj(
  {
    scheme: str("`hmac-sha256-v1`, or `dealer-entered` at a live table"),
    provablyFair: opt(Type.Boolean()),
    serverSeedHash: opt(str("SHA-256 of the server seed: the commitment")),
    serverSeed: opt(Type.Union([str(), Type.Null()], { description: "the revealed server seed" })),
    clientSeed: opt(str()),
    nonce: opt(int()),
    cursor: opt(int()),
    uint32sDrawn: opt(int()),
    chain: opt(obj({ id: int(), commitment: str(), index: int(), length: int() })),
    note: opt(str()),
    voidedNumber: opt(int("(a voided roulette round) the pocket it would have drawn")),
    game: opt(str("(slots) the game id")),
    jackpotTrigger: opt(obj({ numerator: int(), denominator: int() }, "(slots) the jackpot's odds per paid spin")),
  },
  "docs/FAIRNESS.md: everything needed to recompute the draw",
);
const by = str("the staff member's user id");
const tableClosed = obj({ tableId: opt(str()), by, roundId: opt(str("the round that was running")) });
const tableOpened = obj({ tableId: opt(str()), by });
const seedPair = obj({ scheme: str(), serverSeedHash: str(), clientSeed: str(), nonce: int("the nonce of the next paid spin") });

const rouletteLimits = obj({
  roundStakeMinorMax: minor(),
  roundBetsMax: int(),
  perBet: Type.Record(Type.String(), obj({ minMinor: minor(), maxMinor: minor() }), { description: "per bet type" }),
});

const fairnessChain: TableEventSpec = {
  who: "everyone",
  when: "a new seed chain's `commitment`, before any round draws from it",
  data: obj({ scheme: str(), chainId: int(), commitment: str("the chain's first value"), length: int(), used: int() }),
  example: { scheme: "hmac-sha256-v1", chainId: 1, commitment: "5b0c…e9a1", length: 1000, used: 0 },
};

/** A card table's round commitment, before its first card: the deck is drawn from this seed. */
const fairnessRound = (roundId: string): TableEventSpec => ({
  who: "everyone",
  when: "before a round's (hand's) first card: its commitment; the deck is drawn from this seed",
  data: obj({
    roundId: str(),
    scheme: str(),
    serverSeedHash: str(),
    clientSeed: str(),
    nonce: int(),
    chain: obj({ id: int(), commitment: str(), index: int(), length: int() }),
  }),
  example: {
    roundId,
    scheme: "hmac-sha256-v1",
    serverSeedHash: "8f2d…41c0",
    clientSeed: roundId,
    nonce: 1,
    chain: { id: 1, commitment: "5b0c…e9a1", index: 1, length: 1000 },
  },
});

const rouletteEvents: Record<string, TableEventSpec> = {
  "fairness.chain": fairnessChain,
  "round.opened": {
    who: "everyone",
    when: "a round takes bets until `closesAt`; at a live table, on the dealer's `open`",
    data: obj({ roundId: str(), closesAt: ms("betting closes"), currency: str(), fairness: opt(fairnessRecord) }),
    example: {
      roundId: "r1:2:mwy9zeey",
      closesAt: 1795741264534,
      currency: "EUR",
      fairness: {
        scheme: "hmac-sha256-v1",
        serverSeedHash: "8f2d…41c0",
        clientSeed: "r1:2:mwy9zeey",
        nonce: 2,
        chain: { id: 1, commitment: "5b0c…e9a1", index: 2, length: 1000 },
      },
    },
  },
  "round.closed": {
    who: "everyone",
    when: "betting closed (at a live table on the dealer's `close`, or by itself at `closesAt`)",
    data: obj({ roundId: str(), bets: int("bet actions accepted") }),
    example: { roundId: "r1:2:mwy9zeey", bets: 1 },
  },
  "round.result": {
    who: "everyone",
    when: "the number is drawn; show it at `revealAt`",
    revealAt: true,
    data: obj({
      roundId: str(),
      number: Type.Integer({ minimum: 0, maximum: 36 }),
      color: Type.Union([Type.Literal("red"), Type.Literal("black"), Type.Literal("green")]),
      source: Type.Union([Type.Literal("provably-fair"), Type.Literal("dealer")]),
      fairness: fairnessRecord,
    }),
    example: {
      roundId: "r1:2:mwy9zeey",
      number: 32,
      color: "red",
      source: "provably-fair",
      fairness: {
        scheme: "hmac-sha256-v1",
        provablyFair: true,
        serverSeedHash: "8f2d…41c0",
        serverSeed: "c47a…09be",
        clientSeed: "r1:2:mwy9zeey",
        nonce: 2,
        cursor: 0,
        uint32sDrawn: 1,
        chain: { id: 1, commitment: "5b0c…e9a1", index: 2, length: 1000 },
      },
    },
  },
  "round.settled": {
    who: "everyone + private part",
    when: "every bet settled; each player with bets also gets `payouts`",
    private: true,
    data: obj({
      roundId: str(),
      number: int(),
      bets: int(),
      returnedMinor: minor("returned to all players"),
      payouts: opt(Type.Array(obj({ holdId: str(), stakeMinor: minor(), returnMinor: minor() }), { description: "private part: this player's bets" })),
    }),
    example: {
      roundId: "r1:2:mwy9zeey",
      number: 32,
      bets: 1,
      returnedMinor: "500",
      payouts: [{ holdId: "r1:2:mwy9zeey:826984a8-…:a1", stakeMinor: "350", returnMinor: "500" }],
    },
  },
  "round.voided": {
    who: "everyone + private part",
    when: "an operator's `round.void`, a round overdue after a failover, or (live) a silent dealer; each player with bets also gets `refunds`",
    private: true,
    data: obj({
      roundId: str(),
      reason: str(),
      refunded: int("bet actions refunded"),
      voidedNumber: opt(int("the pocket the round would have drawn")),
      fairness: opt(fairnessRecord),
      refunds: opt(Type.Array(obj({ holdId: str(), stakeMinor: minor() }), { description: "private part: this player's refunds" })),
    }),
    example: { roundId: "r1:3:mwy9zfx3", reason: "wheel fault", refunded: 1, refunds: [{ holdId: "r1:3:mwy9zfx3:826984a8-…:a3", stakeMinor: "300" }] },
  },
  "table.closed": {
    who: "everyone",
    when: "an operator's (or live dealer's) `table.close`",
    data: tableClosed,
    example: { by: "3c1b5e07-…", roundId: "r1:4:mwy9zg5o" },
  },
  "table.opened": { who: "everyone", when: "`table.open`", data: tableOpened, example: { by: "3c1b5e07-…" } },
  "table.limits": {
    who: "everyone",
    when: "`table.limits`: the limits in force from the next round",
    data: obj({ by, appliesFrom: str(), limits: rouletteLimits }),
    example: {
      by: "3c1b5e07-…",
      appliesFrom: "next round",
      limits: {
        roundStakeMinorMax: "5000",
        roundBetsMax: 200,
        perBet: { straight: { minMinor: "100", maxMinor: "2000" }, high: { minMinor: "100", maxMinor: "300000" } },
      },
    },
  },
};

const blackjackEvents: Record<string, TableEventSpec> = {
  "fairness.chain": fairnessChain,
  "fairness.round": {
    who: "everyone",
    when: "before each round's `blackjack.betting_opened`: the commitment of the shoe it is dealt from (one chain seed per shoe)",
    data: obj({
      roundId: str(),
      shoeId: str("the id of the shoe's first round: its client seed"),
      newShoe: Type.Boolean({ description: "this round's deal shuffles a new shoe" }),
      scheme: str(),
      serverSeedHash: str(),
      clientSeed: str(),
      nonce: int(),
      chain: obj({ id: int(), commitment: str(), index: int(), length: int() }),
    }),
    example: {
      roundId: "b1:2:mwya012j",
      shoeId: "b1:1:mwy9zvkl",
      newShoe: false,
      scheme: "hmac-sha256-v1",
      serverSeedHash: "8f2d…41c0",
      clientSeed: "b1:1:mwy9zvkl",
      nonce: 1,
      chain: { id: 1, commitment: "5b0c…e9a1", index: 1, length: 1000 },
    },
  },
  "blackjack.shoe_revealed": {
    who: "everyone",
    when: "a shoe was replaced: its server seed, now shown by game recall in each of its rounds",
    data: obj({
      shoeId: str(),
      serverSeedHash: str(),
      serverSeed: str(),
      nonce: int(),
      chain: obj({ id: int(), commitment: str(), index: int(), length: int() }),
    }),
    example: {
      shoeId: "b1:1:mwy9zvkl",
      serverSeedHash: "8f2d…41c0",
      serverSeed: "c47a…09be",
      nonce: 1,
      chain: { id: 1, commitment: "5b0c…e9a1", index: 1, length: 1000 },
    },
  },
  "blackjack.seat_taken": { who: "everyone", when: "`sit`", data: obj({ seat: int(), userId: str() }), example: { seat: 0, userId: "826984a8-…" } },
  "blackjack.seat_left": {
    who: "everyone",
    when: '`leave_seat`, or a player stood up after `blackjackAbsentRoundsMax` absent rounds (`reason: "absent"`)',
    data: obj({ seat: int(), userId: opt(str()), reason: opt(Type.Literal("absent")), absentRounds: opt(int()) }),
    example: { seat: 5, userId: "0c04e10b-…", reason: "absent", absentRounds: 2 },
  },
  "blackjack.betting_opened": {
    who: "everyone",
    when: "a betting phase, until `closesAt`, with the limits in force",
    data: obj({ roundId: str(), closesAt: ms("betting closes"), betMinMinor: minor(), betMaxMinor: minor() }),
    example: { roundId: "b1:1:mwy9zvkl", closesAt: 1795741286269, betMinMinor: "100", betMaxMinor: "50000" },
  },
  "blackjack.bet_placed": {
    who: "everyone",
    when: "an accepted `bet`",
    data: obj({ roundId: str(), seat: int(), amountMinor: minor() }),
    example: { roundId: "b1:1:mwy9zvkl", seat: 0, amountMinor: "1000" },
  },
  "blackjack.shuffled": {
    who: "everyone",
    when: "the cut card came out: a new shoe before this deal",
    data: engine("shuffled", { roundId: str() }),
    example: { roundId: "b1:10:mwya3gdk", type: "shuffled" },
  },
  "blackjack.card_dealt": {
    who: "everyone",
    when: "a card to a seat's hand (deal, `hit`, `double`, `split`)",
    data: engine("card_dealt", { roundId: str(), seat: int(), hand: int(), card }),
    example: { roundId: "b1:1:mwy9zvkl", type: "card_dealt", seat: 0, hand: 0, card: 21 },
  },
  "blackjack.dealer_card_dealt": {
    who: "everyone",
    when: "a dealer card face up (the first is the upcard; an ace opens insurance)",
    data: engine("dealer_card_dealt", { roundId: str(), card }),
    example: { roundId: "b1:1:mwy9zvkl", type: "dealer_card_dealt", card: 43 },
  },
  "blackjack.dealer_hole_card_dealt": {
    who: "everyone",
    when: "the hole card, without its value",
    data: engine("dealer_hole_card_dealt", { roundId: str() }),
    example: { roundId: "b1:1:mwy9zvkl", type: "dealer_hole_card_dealt" },
  },
  "blackjack.turn": {
    who: "everyone",
    when: "the turn moves to a seat's hand (after a hit that leaves the hand under 21, or the card a split hand receives, the same hand is still to act: no new `turn`, its timer starts again)",
    data: engine("turn", { roundId: str(), seat: int(), hand: int() }),
    example: { roundId: "b1:1:mwy9zvkl", type: "turn", seat: 0, hand: 0 },
  },
  "blackjack.stake_added": {
    who: "everyone",
    when: "a `double`, `split` or `insurance {take:true}` stake",
    data: engine("stake_added", {
      roundId: str(),
      seat: int(),
      hand: int(),
      amountMinor: minor(),
      reason: Type.Union([Type.Literal("double"), Type.Literal("split"), Type.Literal("insurance")]),
    }),
    example: { roundId: "b1:1:mwy9zvkl", type: "stake_added", seat: 0, hand: 0, amountMinor: "1000", reason: "double" },
  },
  "blackjack.hand_split": {
    who: "everyone",
    when: "`split`: `hand` became two hands",
    data: engine("hand_split", { roundId: str(), seat: int(), hand: int() }),
    example: { roundId: "b1:3:mwya0474", type: "hand_split", seat: 4, hand: 0 },
  },
  "blackjack.insurance_settled": {
    who: "everyone",
    when: "after the peek, per insured seat",
    data: engine("insurance_settled", { roundId: str(), seat: int(), returnMinor: minor("3 × the insurance on a dealer natural, else 0") }),
    example: { roundId: "b1:4:mwya0b81", type: "insurance_settled", seat: 0, returnMinor: "1500" },
  },
  "blackjack.dealer_hole_card_revealed": {
    who: "everyone",
    when: "the hole card turned",
    data: engine("dealer_hole_card_revealed", { roundId: str(), card }),
    example: { roundId: "b1:1:mwy9zvkl", type: "dealer_hole_card_revealed", card: 32 },
  },
  "blackjack.hand_settled": {
    who: "everyone",
    when: "per hand, its outcome and return",
    data: engine("hand_settled", {
      roundId: str(),
      seat: int(),
      hand: int(),
      outcome: Type.Union(["blackjack", "win", "push", "lose"].map((o) => Type.Literal(o))),
      returnMinor: minor(),
    }),
    example: { roundId: "b1:1:mwy9zvkl", type: "hand_settled", seat: 0, hand: 0, outcome: "lose", returnMinor: "0" },
  },
  "blackjack.round_settled": {
    who: "everyone",
    when: "the round's total stake and return, per the engine",
    data: engine("round_settled", { roundId: str(), stakeMinor: minor(), returnMinor: minor() }),
    example: { roundId: "b1:1:mwy9zvkl", type: "round_settled", stakeMinor: "6000", returnMinor: "0" },
  },
  "blackjack.round_paid": {
    who: "everyone",
    when: "every hold settled in the ledger",
    data: obj({ roundId: str(), returns: Type.Record(Type.String(), minor(), { description: "per seat (insurance included)" }) }),
    example: { roundId: "b1:4:mwya0b81", returns: { 0: "1500", 2: "1500", 3: "0", 4: "1500" } },
  },
  "round.voided": {
    who: "everyone",
    when: "an operator's `round.void`",
    data: obj({ roundId: str(), reason: str(), refunded: int("holds refunded") }),
    example: { roundId: "b1:2:mwya012j", reason: "misdeal", refunded: 4 },
  },
  "table.closed": { who: "everyone", when: "`table.close`", data: tableClosed, example: { tableId: "b1", by: "3c1b5e07-…" } },
  "table.opened": { who: "everyone", when: "`table.open`", data: tableOpened, example: { tableId: "b1", by: "3c1b5e07-…" } },
  "table.limits": {
    who: "everyone",
    when: "`table.limits`, from the next round",
    data: obj({ tableId: str(), betMinMinor: minor(), betMaxMinor: minor(), from: str(), by }),
    example: { tableId: "b1", betMinMinor: "200", betMaxMinor: "20000", from: "next round", by: "3c1b5e07-…" },
  },
};

const stacks = Type.Array(Type.Union([minor(), Type.Null()]), { description: "one entry per seat, null for an empty one" });
const holdemEvents: Record<string, TableEventSpec> = {
  "fairness.chain": fairnessChain,
  "fairness.round": fairnessRound("h1:hand:1"),
  "holdem.seated": {
    who: "everyone",
    when: "`sit` (the buy-in is the stack)",
    data: engine("seated", { seat: int(), stackMinor: minor() }),
    example: { type: "seated", seat: 0, stackMinor: "10000" },
  },
  "holdem.hand_started": {
    who: "everyone",
    when: "a deal: button, blinds, the seats dealt in",
    data: engine("hand_started", { handNumber: int(), button: int(), smallBlindSeat: int(), bigBlindSeat: int(), seats: Type.Array(int()) }),
    example: { type: "hand_started", handNumber: 1, button: 0, smallBlindSeat: 1, bigBlindSeat: 2, seats: [0, 1, 2] },
  },
  "holdem.blind_posted": {
    who: "everyone",
    when: "per blind",
    data: engine("blind_posted", { seat: int(), amountMinor: minor(), blind: Type.Union([Type.Literal("small"), Type.Literal("big")]) }),
    example: { type: "blind_posted", seat: 1, amountMinor: "100", blind: "small" },
  },
  "holdem.hole_cards": {
    who: "only the player",
    when: "their two cards; the others get `redacted`",
    private: true,
    data: engine("hole_cards", { recipientSeat: int(), cards: Type.Array(card, { minItems: 2, maxItems: 2 }) }),
    example: { type: "hole_cards", recipientSeat: 0, cards: [21, 13] },
  },
  "holdem.turn": {
    who: "everyone",
    when: "a seat is to act",
    data: engine("turn", {
      seat: int(),
      toCallMinor: minor(),
      minRaiseToMinor: Type.Union([minor(), Type.Null()], { description: "null when it may not raise" }),
    }),
    example: { type: "turn", seat: 0, toCallMinor: "200", minRaiseToMinor: "400" },
  },
  "holdem.folded": {
    who: "everyone",
    when: "a fold, the player's own or the turn timer's",
    data: engine("folded", { seat: int() }),
    example: { type: "folded", seat: 0 },
  },
  "holdem.checked": { who: "everyone", when: "a check", data: engine("checked", { seat: int() }), example: { type: "checked", seat: 2 } },
  "holdem.called": {
    who: "everyone",
    when: "a call (`allIn` when it was all in)",
    data: engine("called", { seat: int(), amountMinor: minor(), allIn: Type.Boolean() }),
    example: { type: "called", seat: 1, amountMinor: "100", allIn: false },
  },
  "holdem.raised": {
    who: "everyone",
    when: "a raise (`allIn` when it was all in)",
    data: engine("raised", { seat: int(), toMinor: minor(), amountMinor: minor(), allIn: Type.Boolean(), fullRaise: Type.Boolean() }),
    example: { type: "raised", seat: 2, toMinor: "3800", amountMinor: "3700", allIn: true, fullRaise: true },
  },
  "holdem.board_dealt": {
    who: "everyone",
    when: "flop, turn, river; show at `revealAt`",
    revealAt: true,
    data: engine("board_dealt", {
      street: Type.Union([Type.Literal("flop"), Type.Literal("turn"), Type.Literal("river")]),
      cards: Type.Array(card, { minItems: 1, maxItems: 3 }),
    }),
    example: { type: "board_dealt", street: "flop", cards: [29, 19, 42] },
  },
  "holdem.uncalled_bet_returned": {
    who: "everyone",
    when: "an uncalled bet back to its owner",
    data: engine("uncalled_bet_returned", { seat: int(), amountMinor: minor() }),
    example: { type: "uncalled_bet_returned", seat: 0, amountMinor: "100" },
  },
  "holdem.showdown": {
    who: "everyone",
    when: "per seat shown, its cards and hand",
    data: engine("showdown", { seat: int(), cards: Type.Array(card), handValue: int(), category: str() }),
    example: { type: "showdown", seat: 1, cards: [26, 18], handValue: 1353568, category: "pair" },
  },
  "holdem.pot_awarded": {
    who: "everyone",
    when: "per pot, with its rake and winners",
    data: engine("pot_awarded", {
      pot: int(),
      amountMinor: minor(),
      rakeMinor: minor(),
      eligibleSeats: Type.Array(int()),
      awards: Type.Array(obj({ seat: int(), amountMinor: minor() })),
    }),
    example: { type: "pot_awarded", pot: 0, amountMinor: "400", rakeMinor: "20", eligibleSeats: [1, 2], awards: [{ seat: 1, amountMinor: "380" }] },
  },
  "holdem.hand_completed": {
    who: "everyone",
    when: "the hand's rake and every stack",
    data: engine("hand_completed", { handNumber: int(), rakeMinor: minor(), stacksMinor: stacks }),
    example: { type: "hand_completed", handNumber: 1, rakeMinor: "20", stacksMinor: ["10000", "10180", "3800", null, null, null] },
  },
  "holdem.hand_voided": {
    who: "everyone",
    when: "an operator's `round.void`: every seat's chips back (followed by `round.voided`)",
    data: engine("hand_voided", { handNumber: int(), returnedMinor: stacks, stacksMinor: stacks }),
    example: {
      type: "hand_voided",
      handNumber: 3,
      returnedMinor: ["100", "200", "0", null, null, null],
      stacksMinor: ["10100", "10180", "3700", null, null, null],
    },
  },
  "round.voided": {
    who: "everyone",
    when: "the same void, with the total returned",
    data: obj({ roundId: str(), reason: str(), returnedMinor: minor() }),
    example: { roundId: "h1:hand:3", reason: "misdeal", returnedMinor: "300" },
  },
  "holdem.left": {
    who: "everyone",
    when: "the seat is cashed out (`leave`, or a stand-up)",
    data: engine("left", { seat: int(), stackMinor: minor() }),
    example: { type: "left", seat: 2, stackMinor: "0" },
  },
  "holdem.stood_up": {
    who: "everyone",
    when: "after `holdem.left`, for a player stood up between hands",
    data: obj({ seat: int(), userId: str(), reason: Type.Union([Type.Literal("absent"), Type.Literal("busted")]), stackMinor: minor() }),
    example: { seat: 2, userId: "0c04e10b-…", reason: "busted", stackMinor: "0" },
  },
  "table.closed": { who: "everyone", when: "`table.close`", data: tableClosed, example: { tableId: "h1", by: "3c1b5e07-…" } },
  "table.opened": { who: "everyone", when: "`table.open`", data: tableOpened, example: { tableId: "h1", by: "3c1b5e07-…" } },
  "table.limits": {
    who: "everyone",
    when: "`table.limits`, from the next hand",
    data: obj({ tableId: str(), smallBlindMinor: minor(), bigBlindMinor: minor(), buyInMinMinor: minor(), buyInMaxMinor: minor(), from: str(), by }),
    example: { tableId: "h1", smallBlindMinor: "50", bigBlindMinor: "100", buyInMinMinor: "4000", buyInMaxMinor: "20000", from: "next hand", by: "3c1b5e07-…" },
  },
};

const spinResult = obj({
  spinId: str(),
  stakeMinor: minor(),
  grid: Type.Array(Type.Array(str()), { description: "reels × rows of symbol names" }),
  stops: Type.Array(int()),
  scatterCount: int(),
  lineWins: Type.Array(obj({ line: int(), symbol: str(), count: int(), winMinor: minor() })),
  freeSpins: Type.Array(Type.Unknown()),
  totalWinMinor: minor(),
  jackpotTriggered: Type.Boolean(),
  jackpotContributionScaled: minor("minor units × 10,000"),
  availableMinor: minor("the player's balance after the spin"),
  jackpotTotalMinor: minor("the pool after this spin"),
  jackpotWinMinor: opt(minor("paid from the pool, when the spin won it")),
  fairness: opt(fairnessRecord),
  at: ms("the spin"),
});

const slotsEvents: Record<string, TableEventSpec> = {
  "slots.spin": {
    who: "only the player",
    when: "each paid spin: the ack's `result` plus `at`",
    private: true,
    data: spinResult,
    example: {
      spinId: "slots:826984a8-…:a1",
      stakeMinor: "100",
      grid: [
        ["bell", "jack", "ace"],
        ["ace", "king", "queen"],
        ["king", "queen", "ten"],
        ["king", "queen", "ten"],
        ["bell", "jack", "ace"],
      ],
      stops: [22, 10, 21, 6, 6],
      scatterCount: 0,
      lineWins: [],
      freeSpins: [],
      totalWinMinor: "0",
      jackpotTriggered: false,
      jackpotContributionScaled: "10000",
      availableMinor: "999900",
      jackpotTotalMinor: "100000",
      at: 1795741403091,
    },
  },
  "fairness.seeds": {
    who: "only the player",
    when: "the machine's seed pair was committed (before the first spin) or its client seed set",
    private: true,
    data: seedPair,
    example: { scheme: "hmac-sha256-v1", serverSeedHash: "44a5f5f5…0335", clientSeed: "a7c90dc053814e20", nonce: 0 },
  },
  "fairness.rotated": {
    who: "only the player",
    when: "`seed.rotate`: the ack's `result`",
    private: true,
    data: obj({
      revealed: obj({ scheme: str(), serverSeedHash: str(), clientSeed: str(), nonce: int("paid spins the seed served"), serverSeed: str() }),
      next: seedPair,
    }),
    example: {
      revealed: { scheme: "hmac-sha256-v1", serverSeedHash: "44a5f5f5…0335", clientSeed: "my-lucky-seed", nonce: 40, serverSeed: "9c1e07d2…4be1" },
      next: { scheme: "hmac-sha256-v1", serverSeedHash: "d0b3a8e1…77c2", clientSeed: "my-lucky-seed", nonce: 0 },
    },
  },
};

const dealerCue: TableEventSpec = {
  who: "everyone",
  when: "a cue from the dealer's catalogue (`cue`), shown at `revealAt` in step with the video",
  revealAt: true,
  data: obj({
    name: str("the cue's name (src/protocol/cues.schemas.ts)"),
    data: obj({}, "the cue's payload"),
    roundId: Type.Union([str(), Type.Null()]),
    sentAt: ms("the dealer sent it"),
  }),
  example: { name: "last-call", data: { secondsLeft: 5 }, roundId: "1:13:mx66b11c", sentAt: 1796218780000 },
};

export const tableEventSchemas = {
  roulette: rouletteEvents,
  live: { ...rouletteEvents, "dealer.cue": dealerCue },
  slots: slotsEvents,
  blackjack: blackjackEvents,
  liveblackjack: {
    ...blackjackEvents,
    "liveblackjack.shoe_shuffled": {
      who: "everyone",
      when: "the dealer's `shuffle`: a new shoe",
      revealAt: true,
      data: obj({
        tableId: str(),
        shoeId: int("the table's shoe number, counting from 1"),
        decks: int(),
        cutAt: int("cards dealt before the cut card comes out"),
      }),
      example: { tableId: "1", shoeId: 3, decks: 4, cutAt: 156 },
    },
    "liveblackjack.card_burned": {
      who: "everyone",
      when: "the dealer's `burn`",
      data: obj({ tableId: str(), shoeId: int(), card }),
      example: { tableId: "1", shoeId: 3, card: 17 },
    },
    "liveblackjack.cut_card_out": {
      who: "everyone",
      when: "the cut card came out: the hand finishes, the next needs a shuffle",
      data: obj({ tableId: str(), shoeId: int() }),
      example: { tableId: "1", shoeId: 3 },
    },
    "liveblackjack.waiting": {
      who: "everyone",
      when: "no round can open (no dealer, no shoe, cut card out)",
      data: obj({ tableId: str(), reason: str() }),
      example: { tableId: "1", reason: "no dealer" },
    },
    "dealer.absent": {
      who: "everyone",
      when: "the dealer on shift went silent mid-hand",
      data: obj({ tableId: str(), dealer: str(), roundId: Type.Union([str(), Type.Null()]), voidAt: ms("the hand is voided unless a dealer takes over") }),
      example: { tableId: "1", dealer: "132189af-…", roundId: "1:13:mx66b11c", voidAt: 1796218853031 },
    },
    "dealer.changed": {
      who: "everyone",
      when: "a dealer took the table, or an operator moved the shift (`by`: the operator; `to` null: the table is free)",
      data: obj({
        tableId: str(),
        from: Type.Union([str(), Type.Null()]),
        to: Type.Union([str(), Type.Null()]),
        roundId: Type.Union([str(), Type.Null()]),
        by: Type.Optional(str()),
      }),
      example: { tableId: "1", from: "132189af-…", to: "7e01c2d4-…", roundId: "1:13:mx66b11c" },
    },
    "dealer.lost": {
      who: "everyone",
      when: "nobody took over by `voidAt`: the hand is voided (`round.voided` follows)",
      data: obj({ tableId: str(), dealer: str(), roundId: Type.Union([str(), Type.Null()]) }),
      example: { tableId: "1", dealer: "132189af-…", roundId: "1:13:mx66b11c" },
    },
    "dealer.cue": dealerCue,
  },
  holdem: holdemEvents,
} as const satisfies Record<string, Record<string, TableEventSpec>>;

/** Who may send each action, and one example of it, per room kind (the actions themselves: table-actions.schemas.ts). */
export interface TableActionSpec {
  readonly who: string;
  readonly example: Readonly<Record<string, unknown>>;
}

const controls = (limits: Readonly<Record<string, unknown>>, staff = "operators"): Record<string, TableActionSpec> => ({
  "table.close": { who: staff, example: { kind: "table.close", reason: "maintenance" } },
  "table.open": { who: staff, example: { kind: "table.open" } },
  "table.limits": { who: staff, example: { kind: "table.limits", ...limits } },
  "round.void": { who: staff, example: { kind: "round.void", reason: "wheel fault" } },
});
const rouletteLimitsExample = { roundStakeMax: "50.00", roundBetsMax: 200, perBet: { straight: { min: "1.00", max: "20.00" } } };
const rouletteActions: Record<string, TableActionSpec> = {
  bet: {
    who: "players",
    example: {
      kind: "bet",
      roundId: "1:42:mwy2k1",
      bets: [
        { type: "red", amount: "2.50" },
        { type: "straight", numbers: [17], amount: "1.00" },
        { type: "dozen", index: 2, amount: "1.00" },
      ],
    },
  },
  ...controls(rouletteLimitsExample),
  void: { who: "operators (the same as `round.void`)", example: { kind: "void", reason: "wheel fault" } },
};

const blackjackActionExamples: Record<string, TableActionSpec> = {
  sit: { who: "players", example: { kind: "sit", seat: 2 } },
  leave_seat: { who: "players", example: { kind: "leave_seat" } },
  bet: { who: "seated players", example: { kind: "bet", roundId: "b1:1:mwy9zvkl", amount: "10.00" } },
  hit: { who: "the seat whose turn it is", example: { kind: "hit" } },
  stand: { who: "the seat whose turn it is", example: { kind: "stand" } },
  double: { who: "the seat whose turn it is", example: { kind: "double" } },
  split: { who: "the seat whose turn it is", example: { kind: "split" } },
  insurance: { who: "seated players with a bet, when the upcard is an ace", example: { kind: "insurance", take: true } },
  ...controls({ betMin: "2.00", betMax: "200.00" }),
};

export const tableActionExamples = {
  roulette: rouletteActions,
  live: {
    ...rouletteActions,
    ...controls(rouletteLimitsExample, "dealers and operators"),
    void: { who: "dealers and operators (the same as `round.void`)", example: { kind: "void", reason: "ball left the wheel" } },
    open: { who: "dealers", example: { kind: "open" } },
    close: { who: "dealers", example: { kind: "close" } },
    result: { who: "dealers", example: { kind: "result", number: 17 } },
    cue: { who: "dealers", example: { kind: "cue", name: "last-call", data: { secondsLeft: 5 } } },
    heartbeat: { who: "dealers", example: { kind: "heartbeat" } },
  },
  slots: {
    spin: { who: "the machine's player", example: { kind: "spin", stake: "0.50" } },
    "seed.client": { who: "the machine's player", example: { kind: "seed.client", clientSeed: "my-lucky-seed" } },
    "seed.rotate": { who: "the machine's player", example: { kind: "seed.rotate", clientSeed: "next-seed" } },
  },
  blackjack: blackjackActionExamples,
  liveblackjack: {
    ...blackjackActionExamples,
    ...controls({ betMin: "2.00", betMax: "200.00" }, "dealers and operators"),
    card: { who: "the dealer (console or card scanner)", example: { kind: "card", card: "As" } },
    burn: { who: "the dealer", example: { kind: "burn", card: "7h" } },
    shuffle: { who: "the dealer", example: { kind: "shuffle" } },
    "dealer.take": { who: "dealers: take the table (a shift change, or a dealer gone silent)", example: { kind: "dealer.take" } },
    "dealer.assign": {
      who: "operators: move the shift to another dealer at once, even from a dealer who is present (null frees the table between hands)",
      example: { kind: "dealer.assign", dealer: "7e01c2d4-…" },
    },
    cue: { who: "the dealer", example: { kind: "cue", name: "shuffle" } },
    heartbeat: { who: "the dealer", example: { kind: "heartbeat" } },
  },
  holdem: {
    sit: { who: "players", example: { kind: "sit", seat: 0, buyIn: "100.00" } },
    leave: { who: "seated players", example: { kind: "leave" } },
    fold: { who: "the seat whose turn it is", example: { kind: "fold" } },
    check: { who: "the seat whose turn it is", example: { kind: "check" } },
    call: { who: "the seat whose turn it is", example: { kind: "call" } },
    all_in: { who: "the seat whose turn it is", example: { kind: "all_in" } },
    raise: { who: "the seat whose turn it is", example: { kind: "raise", to: "8.00" } },
    ...controls({ smallBlind: "0.50", bigBlind: "1.00", buyInMin: "40.00", buyInMax: "200.00" }),
  },
} as const satisfies Record<string, Record<string, TableActionSpec>>;
