import { Type, type TSchema } from "@sinclair/typebox";

/**
 * The dealer cue catalogue (docs/PROTOCOL.md, "Dealer cues"): the audio and visual triggers a live
 * dealer's console sends, each with its closed payload. A cue is an ordinary room event
 * (`dealer.cue`), so a player who resumes replays it like any other; its `revealAt` puts it in step
 * with the table's video. A cue not in this list, or with a payload field it does not name, is refused
 * with REQUEST_INVALID before the table sees it.
 */
const closed = { additionalProperties: false } as const;
const minorUnits = Type.String({ pattern: "^[0-9]{1,18}$", description: "an amount in minor units, as a decimal string" });

export const cueCatalogue = {
  "betting-open": { description: "chime: betting is open", data: Type.Object({}, closed) },
  "last-call": {
    description: "last call for bets, seconds before betting closes",
    data: Type.Object({ secondsLeft: Type.Integer({ minimum: 1, maximum: 60 }) }, closed),
  },
  "no-more-bets": { description: "no more bets: betting has closed", data: Type.Object({}, closed) },
  result: {
    description: "the result is in (a number at roulette, the dealer's hand at blackjack)",
    data: Type.Object({ text: Type.Optional(Type.String({ maxLength: 64 })) }, closed),
  },
  winners: {
    description: "winner announcement: up to 10 winners with what they won",
    data: Type.Object(
      {
        winners: Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 32 }), amountMinor: minorUnits }, closed), {
          minItems: 1,
          maxItems: 10,
        }),
      },
      closed,
    ),
  },
  shuffle: { description: "the dealer shuffles the shoe (live blackjack)", data: Type.Object({}, closed) },
  marker: {
    description:
      "a visual marker to measure the video's delay: the dealer shows `id` to the camera as the cue is sent; a player's page reports when the cue arrived beside when the video showed it",
    data: Type.Object({ id: Type.String({ pattern: "^[A-Za-z0-9_-]{1,32}$" }) }, closed),
  },
} as const satisfies Record<string, { description: string; data: TSchema }>;

export type CueName = keyof typeof cueCatalogue;

/** The `cue` action: one of the catalogue's names, with its payload (optional when the payload has no required field). */
export const CueAction: TSchema = Type.Union(
  Object.entries(cueCatalogue).map(([name, cue]) =>
    Type.Object(
      {
        kind: Type.Literal("cue"),
        name: Type.Literal(name),
        data: (cue.data.required?.length ?? 0) > 0 ? cue.data : Type.Optional(cue.data),
      },
      closed,
    ),
  ),
);
