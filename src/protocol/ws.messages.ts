import { Type, type Static, type TSchema } from "@sinclair/typebox";

/**
 * The WebSocket protocol, version 1: JSON text frames, one message per frame, each with a `type`.
 * Client frames are validated against these closed schemas before anything else happens.
 * docs/PROTOCOL.md documents every message with an example.
 */
export const protocolVersion = 1;

/** `<kind>:<name>`; the kind decides who may join and what the room does. */
export const roomNamePattern = "^[a-z]{1,16}:[A-Za-z0-9_.-]{1,64}$";
const requestId = Type.String({ minLength: 1, maxLength: 64 });
const room = Type.String({ pattern: roomNamePattern });
const offset = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const HelloFrame = Type.Object(
  { type: Type.Literal("hello"), id: Type.Optional(requestId), token: Type.String({ minLength: 1, maxLength: 4096 }), protocol: Type.Integer() },
  { additionalProperties: false },
);
export const TimeFrame = Type.Object({ type: Type.Literal("time"), id: requestId, t0: Type.Number() }, { additionalProperties: false });
export const JoinFrame = Type.Object(
  {
    type: Type.Literal("join"),
    id: requestId,
    room,
    resume: Type.Optional(Type.Object({ epoch: Type.String({ minLength: 1, maxLength: 64 }), offset }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export const LeaveFrame = Type.Object({ type: Type.Literal("leave"), id: requestId, room }, { additionalProperties: false });
export const ActionFrame = Type.Object(
  {
    type: Type.Literal("action"),
    id: requestId,
    room,
    actionId: Type.String({ minLength: 1, maxLength: 64 }),
    lastOffset: offset,
    action: Type.Object({ kind: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: true }),
  },
  { additionalProperties: false },
);
export const ChatFrame = Type.Object(
  { type: Type.Literal("chat"), id: requestId, room, text: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);
export const ModerateFrame = Type.Object(
  {
    type: Type.Literal("moderate"),
    id: requestId,
    room,
    op: Type.Union([Type.Literal("mute"), Type.Literal("unmute"), Type.Literal("kick")]),
    userId: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);

export const clientFrameSchemas = {
  hello: HelloFrame,
  time: TimeFrame,
  join: JoinFrame,
  leave: LeaveFrame,
  action: ActionFrame,
  chat: ChatFrame,
  moderate: ModerateFrame,
} as const satisfies Record<string, TSchema>;

export type HelloFrame = Static<typeof HelloFrame>;
export type TimeFrame = Static<typeof TimeFrame>;
export type JoinFrame = Static<typeof JoinFrame>;
export type LeaveFrame = Static<typeof LeaveFrame>;
export type ActionFrame = Static<typeof ActionFrame>;
export type ChatFrame = Static<typeof ChatFrame>;
export type ModerateFrame = Static<typeof ModerateFrame>;
export type ClientFrame = HelloFrame | TimeFrame | JoinFrame | LeaveFrame | ActionFrame | ChatFrame | ModerateFrame;
export type ClientFrameType = keyof typeof clientFrameSchemas;

/** One entry of a room's ordered log, as the client receives it. */
export interface RoomEventMessage {
  readonly type: "event";
  readonly room: string;
  readonly epoch: string;
  readonly offset: number;
  readonly ts: number;
  readonly kind: string;
  readonly data?: unknown;
  /** Server time (ms) at which the client shows this event: the synchronized reveal. */
  readonly revealAt?: number;
  /** Present on a private event, delivered to its recipient only. */
  readonly private?: true;
}

/** The kind of a lobby event carrying one progressive jackpot's total. */
export const jackpotTotalKind = "jackpot.total";

/**
 * A progressive jackpot's pool, as a `jackpot.total` event's data in a lobby room and as each entry of
 * the lobby snapshot's `jackpots`. `totalMinor` is a decimal string of minor units of `currency`.
 */
export interface JackpotTotal {
  readonly gameId: string;
  readonly currency: string;
  readonly totalMinor: string;
}

export interface PresenceInfo {
  readonly count: number;
  /** User ids, only while the room has at most presenceMembersMax members. */
  readonly members?: readonly string[];
}

export type ServerMessage =
  | {
      readonly type: "welcome";
      readonly id?: string;
      readonly userId: string;
      readonly sessionId: string;
      readonly node: string;
      readonly serverTime: number;
      readonly protocol: number;
      readonly limits: Readonly<Record<string, number>>;
    }
  | { readonly type: "time"; readonly id: string; readonly t0: number; readonly t1: number }
  /**
   * `resumed`: the events after the client's offset follow, then live ones. `snapshot` (a fresh join)
   * and `reset` (the resume point was beyond the history, or the epoch changed): `snapshot` is the
   * room's state at `offset`, and the events after it follow.
   */
  | {
      readonly type: "joined";
      readonly id: string;
      readonly room: string;
      readonly epoch: string;
      readonly offset: number;
      readonly mode: "resumed" | "snapshot" | "reset";
      readonly snapshot?: unknown;
      readonly presence: PresenceInfo;
    }
  /** Unsolicited: the room's log was lost or rebuilt; state restarts from this snapshot. */
  | { readonly type: "reset"; readonly room: string; readonly epoch: string; readonly offset: number; readonly snapshot: unknown }
  | RoomEventMessage
  | { readonly type: "left"; readonly id?: string; readonly room: string; readonly reason: "requested" | "kicked" }
  | {
      readonly type: "ack";
      readonly id: string;
      readonly room: string;
      readonly actionId: string;
      readonly status: "applied" | "duplicate";
      readonly result?: unknown;
    }
  | { readonly type: "presence"; readonly room: string; readonly count: number; readonly members?: readonly string[] }
  | {
      readonly type: "error";
      readonly id?: string;
      readonly code: string;
      readonly message: string;
      readonly requestId: string;
      readonly details?: readonly string[];
    };
