/**
 * What the blackjack and hold'em scenarios share: finding a seat at a table of limited seats, and
 * waiting, bounded, for a room event. A seat comes from the table's snapshot (a player already
 * seated there, say from an earlier run with reused accounts, keeps its seat); players beyond the
 * seats watch without playing and move no money.
 */
import type { CroupierError, RoomEvent } from "../../client/index.js";
import { codeOf, sleep, type SimulatedPlayer } from "./player.js";

export interface SeatChoice {
  readonly room: string;
  readonly seat: number;
  readonly alreadySeated: boolean;
  readonly snapshot: Record<string, unknown>;
}

/** The table for the k-th player of a scenario: tables fill one after the other, so players meet. */
export function tableFor(tables: readonly string[], ordinal: number, seatsPerTable: number): number {
  return Math.floor(ordinal / seatsPerTable) % tables.length;
}

/**
 * Joins the tables in order from `first` until one has a free seat (or this player's seat). The
 * seats list comes from the snapshot through `seatsOf` (a seat holds a user id or null). Joined
 * tables without a seat are left again. Null when every table is full.
 */
export async function findSeat(
  player: SimulatedPlayer,
  kind: string,
  tables: readonly string[],
  first: number,
  preferred: number,
  seatsOf: (snapshot: Record<string, unknown>) => readonly (string | null)[],
): Promise<SeatChoice | null> {
  const userId = player.client.welcome?.userId;
  for (let i = 0; i < tables.length; i++) {
    const room = `${kind}:${tables[(first + i) % tables.length] as string}`;
    const joined = await player.timed("join", () => player.client.join(room));
    const snapshot = ((joined.snapshot as { state?: unknown } | undefined)?.state ?? {}) as Record<string, unknown>;
    const seats = seatsOf(snapshot);
    const mine = seats.indexOf(userId ?? "");
    if (mine >= 0) return { room, seat: mine, alreadySeated: true, snapshot };
    const free = seats.map((s, seat) => (s === null ? seat : -1)).filter((seat) => seat >= 0);
    if (free.length > 0)
      return { room, seat: free.includes(preferred % seats.length) ? preferred % seats.length : (free[0] as number), alreadySeated: false, snapshot };
    await player.client.leave(room).catch(() => undefined);
  }
  return null;
}

/** Resolves with the first event of `room` that `match` accepts, or null after `timeoutMs` or at `abort`. */
export function nextEvent(player: SimulatedPlayer, room: string, match: (e: RoomEvent) => boolean, timeoutMs: number): Promise<RoomEvent | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(null);
    }, timeoutMs);
    const off = player.client.on("event", (e) => {
      if (e.room !== room || !match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/**
 * Sends `action` until it is accepted, waiting for an event `retryAfter` accepts (or `pauseMs`) after
 * each refusal the table may lift later (`ACTION_REJECTED`: not now, e.g. "leave between hands").
 * Expected refusals are counted as retries, not errors. True when accepted before `deadlineMs`.
 */
export async function actUntilAccepted(
  player: SimulatedPlayer,
  room: string,
  action: { readonly kind: string; readonly [key: string]: unknown },
  timedAs: "sit" | "leave",
  retryAfter: (e: RoomEvent) => boolean,
  deadlineMs: number,
  pauseMs = 1_000,
): Promise<boolean> {
  const { metrics } = player.ctx;
  while (Date.now() < deadlineMs) {
    const started = performance.now();
    try {
      await player.client.act(room, action);
      metrics.record(timedAs, started, performance.now());
      return true;
    } catch (error) {
      const code = codeOf(error);
      // The table moved on (a round opened) while the action was on its way: act again on what the
      // player has now seen (docs/ERRORS.md), after a moment for the events to arrive.
      if (code === "CROUPIER_ERR_ACTION_STALE") {
        metrics.count(`retries.${action.kind}`);
        await sleep(Math.min(50, Math.max(0, deadlineMs - Date.now())));
        continue;
      }
      // A seat someone else took stays taken: only "not now" refusals are worth waiting out.
      const final = (error as CroupierError).details?.some((d) => /taken|already/.test(d)) ?? false;
      if (!retriedCodes.includes(code) || final) {
        metrics.error(code);
        metrics.count(`errors.${timedAs}`);
        throw error;
      }
      metrics.count(`retries.${action.kind}`);
      const waited = await nextEvent(player, room, retryAfter, Math.min(pauseMs * 10, Math.max(0, deadlineMs - Date.now())));
      if (waited === null) await sleep(Math.min(pauseMs, Math.max(0, deadlineMs - Date.now())));
    }
  }
  return false;
}

const retriedCodes = ["CROUPIER_ERR_ACTION_REJECTED", "CLIENT_TIMEOUT", "CROUPIER_ERR_ROOM_UNAVAILABLE"];
