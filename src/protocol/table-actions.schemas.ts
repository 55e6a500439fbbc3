import { Type, type TSchema } from "@sinclair/typebox";
import { SeedClientAction, SeedRotateAction } from "./fairness.schemas.js";
import { CueAction } from "./cues.schemas.js";

/**
 * The closed schema of every game action, per room kind (docs/PROTOCOL.md, "Rooms"). The room host
 * checks an action against its kind's schema before the table's rules see it: a field the schema does
 * not name is refused with REQUEST_INVALID, so a misspelt or invented field (`"odds":"35"`) can never
 * be silently ignored. Amounts are decimal strings; the rules then judge the values.
 */
const decimal = Type.String({ pattern: "^-?[0-9]{1,15}(\\.[0-9]{1,8})?$", description: "an amount, as a decimal string" });
const closed = { additionalProperties: false } as const;
const roundId = Type.String({ minLength: 1, maxLength: 200 });
const reason = Type.String({ maxLength: 1_000 });
const seat = Type.Integer({ minimum: 0, maximum: 63 });

function action(kind: string, fields: Record<string, TSchema> = {}): TSchema {
  return Type.Object({ kind: Type.Literal(kind), ...fields }, closed);
}

const tableControls = (limits: Record<string, TSchema>): Record<string, TSchema> => ({
  "table.close": action("table.close", { reason: Type.Optional(reason) }),
  "table.open": action("table.open", { reason: Type.Optional(reason) }),
  "table.limits": action("table.limits", limits),
  "round.void": action("round.void", { reason: Type.Optional(reason) }),
});

const rouletteBet = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      maxLength: 32,
      description:
        "`straight`, `split`, `street`, `corner`, `six_line` (with `numbers`); `dozen`, `column` (with `index`); `red`, `black`, `odd`, `even`, `low`, `high`",
    }),
    numbers: Type.Optional(
      Type.Array(Type.Integer(), {
        maxItems: 6,
        description: "the numbers covered by an inside bet: 1, 2 adjacent, 3 in a row, 4 in a square, 6 (two adjacent streets)",
      }),
    ),
    index: Type.Optional(Type.Integer({ description: "dozen or column 1–3 (dozen 1 is 1–12; column 1 is 1, 4, …, 34)" })),
    amount: decimal,
  },
  closed,
);

const rouletteActions: Record<string, TSchema> = {
  bet: action("bet", {
    roundId,
    bets: Type.Array(rouletteBet, { minItems: 1, maxItems: 200 }),
    betId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }),
  ...tableControls({
    roundStakeMax: Type.Optional(decimal),
    roundBetsMax: Type.Optional(Type.Integer()),
    perBet: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), Type.Object({ min: decimal, max: decimal }, closed))),
  }),
  void: action("void", { reason: Type.Optional(reason) }),
};

const blackjackActions: Record<string, TSchema> = {
  sit: action("sit", { seat }),
  leave_seat: action("leave_seat"),
  bet: action("bet", { roundId, amount: decimal }),
  hit: action("hit"),
  stand: action("stand"),
  double: action("double"),
  split: action("split"),
  insurance: action("insurance", { take: Type.Boolean() }),
  ...tableControls({ betMin: Type.Optional(decimal), betMax: Type.Optional(decimal) }),
};
const card = Type.String({ pattern: "^[2-9TJQKA][cdhs]$", description: "a card: rank 2-9, T, J, Q, K, A and suit c, d, h, s" });

export const tableActionSchemas = {
  roulette: rouletteActions,
  live: {
    ...rouletteActions,
    open: action("open"),
    close: action("close"),
    result: action("result", { number: Type.Optional(Type.Integer()), rng: Type.Optional(Type.Boolean()) }),
    cue: CueAction,
    heartbeat: action("heartbeat"),
  },
  slots: {
    spin: action("spin", { stake: decimal }),
    "seed.client": SeedClientAction,
    "seed.rotate": SeedRotateAction,
  },
  blackjack: blackjackActions,
  liveblackjack: {
    ...blackjackActions,
    // The dealer's console (or a card scanner posting to the same API): cards as rank and suit, "As", "Td", "7h".
    card: action("card", { card }),
    burn: action("burn", { card }),
    shuffle: action("shuffle"),
    "dealer.take": action("dealer.take"),
    // Operators only: moves the shift to another dealer's user id (null frees the table between hands).
    "dealer.assign": action("dealer.assign", { dealer: Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()]) }),
    cue: CueAction,
    heartbeat: action("heartbeat"),
  },
  holdem: {
    sit: action("sit", { seat, buyIn: decimal }),
    leave: action("leave"),
    fold: action("fold"),
    check: action("check"),
    call: action("call"),
    all_in: action("all_in"),
    raise: action("raise", { to: decimal }),
    ...tableControls({
      smallBlind: Type.Optional(decimal),
      bigBlind: Type.Optional(decimal),
      buyInMin: Type.Optional(decimal),
      buyInMax: Type.Optional(decimal),
    }),
  },
} as const satisfies Record<string, Record<string, TSchema>>;
