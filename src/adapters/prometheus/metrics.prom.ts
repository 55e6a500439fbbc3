import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { actionStages, type Metrics } from "../../app/ports/metrics.js";
import type { OutboxBacklog } from "../../app/ports/payments-store.js";

/**
 * The Metrics port on prom-client, registered on the node's registry (served at /metrics).
 * `backgroundFailures` reads the process's counts of failed background work (main.ts passes
 * src/app/background.ts's); none by default.
 */
export function createPromMetrics(registry: Registry, backgroundFailures: () => ReadonlyMap<string, number> = () => new Map()): Metrics {
  const registers = [registry];
  const batchSize = new Histogram({
    name: "croupier_ledger_batch_ops",
    help: "ledger operations committed per batch",
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers,
  });
  const commit = new Histogram({
    name: "croupier_ledger_commit_seconds",
    help: "ledger batch commit latency",
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers,
  });
  const repeats = new Counter({
    name: "croupier_ledger_idempotent_repeats_total",
    help: "money calls answered from their recorded result (same idempotency key)",
    registers,
  });
  const bets = new Counter({ name: "croupier_bets_total", help: "bets by game and outcome", labelNames: ["game", "outcome"] as const, registers });
  const rounds = new Counter({ name: "croupier_rounds_total", help: "rounds ended by game and outcome", labelNames: ["game", "outcome"] as const, registers });
  const settledBets = new Counter({ name: "croupier_settled_bets_total", help: "bets settled or refunded by game", labelNames: ["game"] as const, registers });
  const phase = new Histogram({
    name: "croupier_round_phase_seconds",
    help: "round phase durations",
    labelNames: ["game", "phase"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 60],
    registers,
  });
  // A gauge of minor units: exact up to 2^53, far above any pool (amounts are capped at 10^15).
  const jackpotTotal = new Gauge({
    name: "croupier_jackpot_total_minor",
    help: "progressive jackpot pool in minor units, as last seen committed",
    labelNames: ["game", "currency"] as const,
    registers,
  });
  const jackpotWins = new Counter({
    name: "croupier_jackpot_wins_total",
    help: "progressive jackpots paid",
    labelNames: ["game", "currency"] as const,
    registers,
  });
  const internalErrors = new Counter({
    name: "croupier_internal_errors_total",
    help: "unexpected exceptions (bugs) answered INTERNAL and logged with their stack, by area",
    labelNames: ["area"] as const,
    registers,
  });
  const busRefused = new Counter({ name: "croupier_bus_messages_refused_total", help: "bus messages dropped because their signature did not hold", registers });
  new Counter({
    name: "croupier_background_failures_total",
    help: "work started in the background (bus publishes, takeovers, key reloads) that failed, by task",
    labelNames: ["task"] as const,
    registers,
    collect() {
      this.reset();
      for (const [task, count] of backgroundFailures()) this.inc({ task }, count);
    },
  });
  const stages = new Histogram({
    name: "croupier_action_stage_seconds",
    help: "time an action spends in each stage of its path (frame parsed, routed, queued, effects, log append, ledger, ack)",
    labelNames: ["stage"] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  // Each action observes about ten stages: the per-stage series are looked up once, not per observation.
  const stageSeries = new Map(actionStages.map((stage) => [stage, stages.labels({ stage })]));
  return {
    actionStage: (stage, ms) => stageSeries.get(stage)?.observe(ms / 1000),
    ledgerBatch(ops, commitMs) {
      batchSize.observe(ops);
      commit.observe(commitMs / 1000);
    },
    ledgerRepeat: () => repeats.inc(),
    bet: (game, outcome) => bets.inc({ game, outcome }),
    roundEnded(game, outcome, count) {
      rounds.inc({ game, outcome });
      settledBets.inc({ game }, count);
    },
    roundPhase: (game, name, ms) => phase.observe({ game, phase: name }, ms / 1000),
    jackpotTotal: (game, currency, totalMinor) => jackpotTotal.set({ game, currency }, Number(totalMinor)),
    jackpotWon: (game, currency) => jackpotWins.inc({ game, currency }),
    busMessageRefused: () => busRefused.inc(),
    internalError: (area) => internalErrors.inc({ area }),
  };
}

/** `croupier_node_role{role} 1` for each role this node runs: join a node's series on `instance` to tell roles apart. */
export function registerNodeRoles(registry: Registry, roles: Iterable<string>): void {
  const gauge = new Gauge({ name: "croupier_node_role", help: "the roles this node runs (1 each)", labelNames: ["role"] as const, registers: [registry] });
  for (const role of roles) gauge.set({ role }, 1);
}

/**
 * The payments outbox's backlog, read from the database when Prometheus scrapes: entries waiting for
 * delivery (payouts, releases, exported events) and entries parked for an operator. A stream that is
 * down or slow shows here, never on a bet.
 */
export function registerOutboxMetrics(registry: Registry, backlog: () => Promise<OutboxBacklog>, nowMs: () => number): void {
  // A database that does not answer makes the backlog unknown (NaN), not the whole scrape fail;
  // /readyz and the database's own metrics say why.
  const read = (): Promise<OutboxBacklog> => backlog().catch(() => ({ waiting: Number.NaN, parked: Number.NaN, oldestWaitingMs: Number.NaN }));
  new Gauge({
    name: "croupier_outbox_entries",
    help: "payments outbox entries by state (waiting: not yet delivered; parked: given up, for an operator)",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const { waiting, parked } = await read();
      this.set({ state: "waiting" }, waiting);
      this.set({ state: "parked" }, parked);
    },
  });
  new Gauge({
    name: "croupier_outbox_lag_seconds",
    help: "age of the oldest outbox entry still waiting for delivery (0: none waits): how far exported events trail their commits",
    registers: [registry],
    async collect() {
      const { oldestWaitingMs } = await read();
      this.set(oldestWaitingMs === null ? 0 : Math.max(0, nowMs() - oldestWaitingMs) / 1000);
    },
  });
}

/** The risk engine's counters: what it did, and signals a node dropped while the bus could not take them. */
export function registerRiskMetrics(registry: Registry, droppedSignals: () => number): { action(rule: string, action: string): void } {
  const actions = new Counter({
    name: "croupier_risk_actions_total",
    help: "risk engine actions taken on this node (the leader), by rule and step",
    labelNames: ["rule", "action"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "croupier_risk_signals_dropped",
    help: "risk signals this node dropped since start because its buffer was full (the bus was down)",
    registers: [registry],
    collect() {
      this.set(droppedSignals());
    },
  });
  return { action: (rule, action) => actions.inc({ rule, action }) };
}
