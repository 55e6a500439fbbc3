/**
 * The live view on stderr: a bar redrawn four times a second on a terminal, or a plain line every few
 * seconds when stderr is a file or a pipe (CI logs). Shows players connected, actions per second over
 * the last seconds, errors, and the p99 of bets, chat and notes over the same window.
 */
import { mergeEncoded } from "./metrics.js";

export interface Totals {
  readonly connected: number;
  readonly ready: number;
  readonly failed: number;
  readonly finished: number;
  readonly ops: number;
  readonly bets: number;
  readonly errors: number;
  /** CPU the driver processes have used so far, in milliseconds. */
  readonly cpuMs: number;
}

const windowMs = 2_000;
const lineEveryMs = 5_000;
const barWidth = 24;

export class ProgressView {
  peakOpsPerSecond = 0;
  private windows: { atMs: number; encoded: string }[] = [];
  private samples: { atMs: number; ops: number }[] = [];
  private lastLineMs = 0;

  /** The steady phase, once every player is ready: the bar runs over it. */
  private steadyAtMs: number | null = null;
  private endAtMs: number | null = null;

  constructor(
    private readonly mode: "bar" | "lines" | "off",
    private readonly players: number,
    private readonly write: (text: string) => void = (text) => void process.stderr.write(text),
  ) {}

  steady(atMs: number, endAtMs: number): void {
    this.steadyAtMs = atMs;
    this.endAtMs = endAtMs;
    this.note(`all players ready or given up: playing for ${Math.round((endAtMs - atMs) / 1_000)} s`);
  }

  addWindow(encoded: string): void {
    this.windows.push({ atMs: Date.now(), encoded });
  }

  note(text: string): void {
    if (this.mode === "bar") this.write("\x1b[2K\r");
    if (this.mode !== "off") this.write(`${text}\n`);
  }

  render(totals: Totals, nowMs: number): void {
    this.samples.push({ atMs: nowMs, ops: totals.ops });
    this.samples = this.samples.filter((s) => s.atMs >= nowMs - windowMs);
    this.windows = this.windows.filter((w) => w.atMs >= nowMs - windowMs);
    const first = this.samples[0];
    const rate = first === undefined || nowMs - first.atMs < 500 ? 0 : ((totals.ops - first.ops) * 1_000) / (nowMs - first.atMs);
    if (this.steadyAtMs !== null && nowMs - this.steadyAtMs > windowMs && (this.endAtMs === null || nowMs <= this.endAtMs))
      this.peakOpsPerSecond = Math.max(this.peakOpsPerSecond, rate);
    if (this.mode === "off") return;
    if (this.mode === "lines" && nowMs - this.lastLineMs < lineEveryMs) return;
    this.lastLineMs = nowMs;
    const line = this.line(totals, nowMs, rate);
    this.write(this.mode === "bar" ? `\x1b[2K\r${line}` : `${line}\n`);
  }

  private line(totals: Totals, nowMs: number, rate: number): string {
    const p99 = this.windowP99Ms();
    const steadyAt = this.steadyAtMs;
    const endAt = this.endAtMs;
    let phase: string;
    let filled = 0;
    if (steadyAt === null || endAt === null) phase = `setup: ${totals.ready} ready, ${totals.failed} failed`;
    else if (nowMs < endAt) {
      const total = Math.max(1, endAt - steadyAt);
      filled = Math.round(((nowMs - steadyAt) / total) * barWidth);
      phase = `${Math.round((nowMs - steadyAt) / 1_000)}s/${Math.round(total / 1_000)}s`;
    } else {
      filled = barWidth;
      phase = "settling";
    }
    const bar = this.mode === "bar" ? `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ` : "";
    return `${bar}${phase}  players ${totals.connected}/${this.players} connected (${totals.finished} done)  ${rate.toFixed(0)} actions/s  errors ${totals.errors}  p99 ${p99 === null ? "-" : `${p99.toFixed(1)} ms`}`;
  }

  private windowP99Ms(): number | null {
    if (this.windows.length === 0) return null;
    const merged = mergeEncoded(this.windows.map((w) => w.encoded));
    const p99 = merged.totalCount === 0 ? null : merged.getValueAtPercentile(99) / 1_000;
    merged.destroy();
    return p99;
  }

  finish(totals: Totals): void {
    if (this.mode === "bar") this.write("\x1b[2K\r");
    if (this.mode !== "off") this.write(`done: ${totals.finished}/${this.players} players finished, ${totals.ops} actions, ${totals.errors} errors\n`);
  }
}
