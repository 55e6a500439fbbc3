/**
 * After an abuse run, an operator's view of it (docs/LOADTEST.md, "abuse"): for every player, the
 * risk engine's actions (`GET /v1/operator/risk/actions?userId=`) and the player's risk file
 * (`GET /v1/operator/players/:id/risk`, its `score`); per bot, the time from its first spin to its first
 * `limit` and first `lock`; for all players, the precision and recall of the rules (a player is caught
 * when it has a limit or a lock) and of the score (flagged at ≥ 0.5), the truth being who is a bot.
 *
 * A locked account's sessions are revoked, so it cannot read its own wallet: its ledger balance is the
 * sum of its cash purse's transfers, `GET /v1/operator/players/:id/history` (the ledger keeps each
 * balance equal to its transfers; `GET /v1/operator/ledger/check` proves it). Slot spins hold nothing,
 * so that sum is `available + held`. The same history settles the spins the lock cut off before their
 * answer: a bot's spin id is `slots:<userId>:<actionId>` with an action id it chose, so exactly those
 * spins are looked up, and found ones counted as stake and win; anything else still shows as a difference.
 */
import { AuthHttp, CroupierError, requestJson, type FetchLike } from "../../client/index.js";
import { parseAmount, type Currency } from "../../engine/money/index.js";
import type { PlayerResult } from "./worker.js";

/** The issue's bounds: a bot limited within a minute of its first spin, locked within two. */
export const limitWithinMs = 60_000;
export const lockWithinMs = 120_000;
export const scoreThreshold = 0.5;
/** Operator reads at once (each player needs two or three). */
const readsInFlight = 8;
const pageMax = 200;

const globalFetch: FetchLike = (url, init) => fetch(url, init);

interface WireAction {
  readonly id: string;
  readonly rule: string;
  readonly action: "alert" | "limit" | "lock";
  readonly score: number | null;
  readonly at: string;
  readonly reversed: unknown;
}
interface HistoryEntry {
  readonly kind: string;
  readonly amount: string;
  readonly reference: string | null;
}

/** An operator's session: logs in once, refreshes its tokens when the access token expires during a long run. */
export class OperatorApi {
  private constructor(
    private readonly baseUrl: string,
    private readonly auth: AuthHttp,
    private accessToken: string,
    private refreshToken: string,
  ) {}

  /** Logs in and checks the account may read the risk engine (an operator). */
  static async login(baseUrl: string, login: string, password: string): Promise<OperatorApi> {
    const auth = new AuthHttp(baseUrl, globalFetch);
    const pair = await auth.login({ login, password, deviceId: "loadtest-operator" });
    const api = new OperatorApi(baseUrl, auth, pair.accessToken, pair.refreshToken);
    await api.get(`/v1/operator/risk/actions?userId=${encodeURIComponent(login)}`);
    return api;
  }

  async get<T>(path: string): Promise<T> {
    try {
      return await requestJson<T>(globalFetch, this.baseUrl + path, { method: "GET", token: this.accessToken }, "HTTP_ERROR");
    } catch (error) {
      if (!(error instanceof CroupierError && error.code === "CROUPIER_ERR_AUTH_TOKEN_EXPIRED")) throw error;
      const pair = await this.auth.refresh(this.refreshToken);
      this.accessToken = pair.accessToken;
      this.refreshToken = pair.refreshToken;
      return requestJson<T>(globalFetch, this.baseUrl + path, { method: "GET", token: this.accessToken }, "HTTP_ERROR");
    }
  }
}

/** Caught or flagged against the truth (bot or not); precision and recall are null when undefined (nothing flagged). */
export interface Confusion {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly trueNegatives: number;
  readonly precision: number | null;
  readonly recall: number | null;
}

export interface AbuserLine {
  readonly username: string;
  readonly userId: string | null;
  readonly firstSpinAt: string | null;
  /** From the first spin to the first limit / lock action (by the server's clock), or null when none. */
  readonly limitAfterMs: number | null;
  readonly lockAfterMs: number | null;
  /** From the first spin to its sockets closing with 4003, as the bot saw it. */
  readonly lockSeenAfterMs: number | null;
  readonly attempts: number;
  readonly paid: number;
  readonly riskLimited: number;
  readonly cutByLock: number;
  readonly score: number | null;
  /** The engine's actions, oldest first, as `rule:action`. */
  readonly actions: readonly string[];
}

export interface AbuseReport {
  readonly abusers: number;
  readonly normal: number;
  readonly limitWithinMs: number;
  readonly lockWithinMs: number;
  readonly scoreThreshold: number;
  readonly abusersLimitedInTime: number;
  readonly abusersLockedInTime: number;
  readonly normalLimited: number;
  readonly normalLocked: number;
  readonly rules: Confusion;
  readonly score: Confusion;
  readonly perAbuser: readonly AbuserLine[];
  /** Normal players the rules caught or the score flagged (each is a false positive). */
  readonly normalFlagged: readonly { readonly username: string; readonly score: number | null; readonly actions: readonly string[] }[];
  /** Spins the lock cut off before their answer: found in the ledger (counted) or not (never placed). */
  readonly cutSpins: { readonly resolvedFromLedger: number; readonly notPlaced: number };
  /** Players whose balance the operator read (their sessions revoked by the lock). */
  readonly ledgersReadByOperator: number;
  /** The margin of the score: the lowest and highest of the bots', the highest of the normal players'. */
  readonly scores: { readonly abusersMin: number | null; readonly abusersMax: number | null; readonly normalMax: number | null };
  /** Players that could not be judged (never welcomed, or an operator read failed). */
  readonly unjudged: readonly string[];
  readonly verdict: string;
  readonly ok: boolean;
}

interface Judged {
  readonly player: PlayerResult;
  readonly actions: readonly WireAction[];
  /** The file's score at the end of the run, and the highest an action recorded. */
  readonly score: number | null;
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T);
      }
    }),
  );
  return results;
}

async function actionsOf(api: OperatorApi, userId: string): Promise<WireAction[]> {
  const all: WireAction[] = [];
  for (let before: string | null = null; ;) {
    // Pages of the default 50 (the server refuses `limit` in this query: "/limit must be integer").
    const page: { actions: WireAction[]; next: string | null } = await api.get(
      `/v1/operator/risk/actions?userId=${encodeURIComponent(userId)}${before === null ? "" : `&before=${before}`}`,
    );
    all.push(...page.actions);
    if (page.next === null || page.actions.length === 0) return all.reverse();
    before = page.next;
  }
}

async function historyOf(api: OperatorApi, userId: string, currency: Currency): Promise<HistoryEntry[]> {
  const all: HistoryEntry[] = [];
  for (let before: string | null = null; ;) {
    const page: { entries: HistoryEntry[]; nextCursor: string | null } = await api.get(
      `/v1/operator/players/${encodeURIComponent(userId)}/history?currency=${currency.code}&purse=cash&limit=${pageMax}${before === null ? "" : `&before=${before}`}`,
    );
    all.push(...page.entries);
    if (page.nextCursor === null || page.entries.length === 0) return all;
    before = page.nextCursor;
  }
}

function minorOf(text: string, currency: Currency): bigint {
  const negative = text.startsWith("-");
  const value = parseAmount(negative ? text.slice(1) : text, currency);
  if (typeof value !== "bigint") throw new Error(`the history answered an unparsable amount "${text}"`);
  return negative ? -value : value;
}

/**
 * A locked (or otherwise unaudited) player's ledger from its history, and the cut-off spins settled
 * from it. Returns the player with `ledger` (source `operator`) and `money` completed.
 */
async function ledgerByOperator(
  api: OperatorApi,
  player: PlayerResult,
  currency: Currency,
  cut: { resolvedFromLedger: number; notPlaced: number },
): Promise<PlayerResult> {
  const uncertain = new Set(player.abuse?.uncertainSpinIds ?? []);
  if (player.userId === null || player.money === null || (player.ledger !== null && uncertain.size === 0)) return player;
  const entries = await historyOf(api, player.userId, currency);
  let money = player.money;
  if (uncertain.size > 0) {
    let stakes = 0n;
    let wins = 0n;
    const found = new Set<string>();
    for (const e of entries) {
      if (e.reference === null || !uncertain.has(e.reference)) continue;
      found.add(e.reference);
      const amount = minorOf(e.amount, currency);
      if (e.kind === "bet_stake") stakes -= amount;
      else wins += amount;
    }
    cut.resolvedFromLedger += found.size;
    cut.notPlaced += uncertain.size - found.size;
    money = {
      ...money,
      stakesMinor: String(BigInt(money.stakesMinor) + stakes),
      payoutsMinor: String(BigInt(money.payoutsMinor) + wins),
      bets: String(Number(money.bets) + found.size),
      betsUncertain: String(Math.max(0, Number(money.betsUncertain) - uncertain.size)),
    };
  }
  if (player.ledger !== null) return { ...player, money };
  const total = entries.reduce((sum, e) => sum + minorOf(e.amount, currency), 0n);
  const ledger = { totalMinor: String(total), availableMinor: String(total), heldMinor: "0", balanceMinor: String(total) };
  return { ...player, money, ledger, ledgerSource: "operator" };
}

function confusion(judged: readonly Judged[], flagged: (j: Judged) => boolean): Confusion {
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0;
  for (const j of judged) {
    const abuser = j.player.abuse?.abuser === true;
    const hit = flagged(j);
    if (abuser && hit) tp++;
    else if (abuser) fn++;
    else if (hit) fp++;
    else tn++;
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
  };
}

const open = (a: WireAction): boolean => a.reversed === null || a.reversed === undefined;
const firstAt = (actions: readonly WireAction[], kind: WireAction["action"]): number | null => {
  const times = actions.filter((a) => open(a) && a.action === kind).map((a) => Date.parse(a.at));
  return times.length === 0 ? null : Math.min(...times);
};
const fixed2 = (n: number | null): string => (n === null ? "n/a" : n.toFixed(2));

/**
 * Reads every player's risk actions and score as the operator, fills in the ledger of players whose
 * sessions the lock revoked, and judges the run. Returns the players (some completed) and the verdict.
 */
export async function auditAbuse(
  api: OperatorApi,
  players: readonly PlayerResult[],
  currency: Currency,
): Promise<{ players: PlayerResult[]; report: AbuseReport }> {
  const cut = { resolvedFromLedger: 0, notPlaced: 0 };
  const unjudged: string[] = [];
  const rows = await inBatches(players, readsInFlight, async (player): Promise<{ player: PlayerResult; judged: Judged | null }> => {
    if (player.userId === null) {
      unjudged.push(`${player.username}: never connected${player.failure === null ? "" : ` (${player.failure})`}`);
      return { player, judged: null };
    }
    const userId = player.userId;
    let completed = player;
    try {
      completed = await ledgerByOperator(api, player, currency, cut);
    } catch (error) {
      completed = { ...player, failure: [player.failure, `operator ledger read ${(error as Error).message}`].filter((f) => f !== null).join("; ") };
    }
    try {
      const [actions, file] = await Promise.all([
        actionsOf(api, userId),
        api.get<{ score: number }>(`/v1/operator/players/${encodeURIComponent(userId)}/risk`),
      ]);
      const scores = [file.score, ...actions.filter((a) => a.score !== null).map((a) => a.score as number)];
      return { player: completed, judged: { player: completed, actions, score: Math.max(...scores) } };
    } catch (error) {
      unjudged.push(`${player.username}: risk read failed (${(error as Error).message})`);
      return { player: completed, judged: null };
    }
  });
  const judged = rows.flatMap((r) => (r.judged === null ? [] : [r.judged]));
  const caught = (j: Judged): boolean => j.actions.some((a) => open(a) && (a.action === "limit" || a.action === "lock"));
  const rules = confusion(judged, caught);
  const score = confusion(judged, (j) => j.score !== null && j.score >= scoreThreshold);
  const abusers = players.filter((p) => p.abuse?.abuser === true);
  const normal = players.length - abusers.length;
  const perAbuser = abusers.map((p): AbuserLine => {
    const j = judged.find((x) => x.player.index === p.index);
    const first = p.abuse?.firstSpinAtMs ?? null;
    const after = (at: number | null): number | null => (at === null || first === null ? null : at - first);
    return {
      username: p.username,
      userId: p.userId,
      firstSpinAt: first === null ? null : new Date(first).toISOString(),
      limitAfterMs: after(j === undefined ? null : firstAt(j.actions, "limit")),
      lockAfterMs: after(j === undefined ? null : firstAt(j.actions, "lock")),
      lockSeenAfterMs: after(p.abuse?.lockSeenAtMs ?? null),
      attempts: p.abuse?.attempts ?? 0,
      paid: p.abuse?.paid ?? 0,
      riskLimited: p.abuse?.riskLimited ?? 0,
      cutByLock: p.abuse?.cutByLock ?? 0,
      score: j?.score ?? null,
      actions: j?.actions.filter(open).map((a) => `${a.rule}:${a.action}`) ?? [],
    };
  });
  const within = (ms: number | null, max: number): boolean => ms !== null && ms >= 0 && ms <= max;
  const abusersLimitedInTime = perAbuser.filter((a) => within(a.limitAfterMs, limitWithinMs)).length;
  const abusersLockedInTime = perAbuser.filter((a) => within(a.lockAfterMs, lockWithinMs)).length;
  const normalJudged = judged.filter((j) => j.player.abuse?.abuser !== true);
  const normalLocked = players.filter(
    (p) =>
      p.abuse?.abuser !== true &&
      (p.abuse?.lockSeenAtMs != null || normalJudged.some((j) => j.player.index === p.index && firstAt(j.actions, "lock") !== null)),
  ).length;
  const normalLimited = normalJudged.filter((j) => firstAt(j.actions, "limit") !== null).length;
  const normalFlagged = normalJudged
    .filter((j) => caught(j) || (j.score !== null && j.score >= scoreThreshold))
    .map((j) => ({ username: j.player.username, score: j.score, actions: j.actions.filter(open).map((a) => `${a.rule}:${a.action}`) }));
  const verdict =
    `abuse: ${abusersLimitedInTime}/${abusers.length} abusers limited within ${limitWithinMs / 1_000} s, ${abusersLockedInTime}/${abusers.length} locked within ${lockWithinMs / 1_000} s, ` +
    `${normalLocked} normal players locked; rules precision ${fixed2(rules.precision)} recall ${fixed2(rules.recall)}; score precision ${fixed2(score.precision)} recall ${fixed2(score.recall)}`;
  const judgedScores = (bots: boolean): number[] =>
    judged.filter((j) => (j.player.abuse?.abuser === true) === bots && j.score !== null).map((j) => j.score as number);
  const [botScores, normalScores] = [judgedScores(true), judgedScores(false)];
  const scores = {
    abusersMin: botScores.length === 0 ? null : Math.min(...botScores),
    abusersMax: botScores.length === 0 ? null : Math.max(...botScores),
    normalMax: normalScores.length === 0 ? null : Math.max(...normalScores),
  };
  const completed = rows.map((r) => r.player);
  const ok =
    abusers.length > 0 && abusersLimitedInTime === abusers.length && abusersLockedInTime === abusers.length && normalLocked === 0 && unjudged.length === 0;
  return {
    players: completed,
    report: {
      abusers: abusers.length,
      normal,
      limitWithinMs,
      lockWithinMs,
      scoreThreshold,
      abusersLimitedInTime,
      abusersLockedInTime,
      normalLimited,
      normalLocked,
      rules,
      score,
      perAbuser,
      normalFlagged,
      cutSpins: cut,
      ledgersReadByOperator: completed.filter((p) => p.ledgerSource === "operator").length,
      scores,
      unjudged,
      verdict,
      ok,
    },
  };
}
