/**
 * `croupier serve`: one process, or with `--workers N` a primary that forks N worker processes
 * sharing the port (node:cluster hands each new connection to a worker). One process can hold at
 * most ~20,000 sockets where the open-file limit is 20,000, so a machine serves more players with
 * more workers. Workers share state only through PostgreSQL and Redis, so `--workers` above 1 needs
 * production mode.
 */
import { background } from "../app/background.js";
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { ConfigError, loadConfig, optionsHelp, parseCommandLine, printableConfig, type ArgOptions, type Config } from "../config/config.js";
import { areaLogger, createLogger, startServer, type RunningServer } from "../main.js";
import { generateKey, readKeys } from "../adapters/node/jwt-keys.js";
import { primaryMetrics } from "../adapters/prometheus/cluster-metrics.js";

const workersMax = 64;
const restartDelayMs = 1_000;

function describe(server: { url: string; mode: string }): string {
  return `${server.url} in ${server.mode} mode${server.url.startsWith("https:") ? " (TLS 1.3 minimum)" : " (plain HTTP: no TLS certificate configured)"}`;
}

export function parseWorkers(value: string | boolean | readonly (string | boolean)[] | undefined): number {
  if (value === undefined) return 1;
  if (value === "auto") return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > workersMax)
    throw new ConfigError(`--workers must be an integer from 1 to ${workersMax}, or auto; got ${typeof value === "string" ? value : "no value"}`);
  return n;
}

export const serveHelp = (options: string) => `croupier serve [options]

  --print-config
      print the effective configuration with secrets masked, then exit
  --workers <n|auto>
      run n worker processes sharing the port (production mode only; default 1)
${options}`;

/** `serve`'s own flags, parsed with the configuration flags. */
export const serveArgOptions = { workers: { type: "string" }, "print-config": { type: "boolean" }, help: { type: "boolean" } } as const satisfies ArgOptions;

export async function runServe(argv: readonly string[]): Promise<void> {
  const { own, flags } = parseCommandLine(argv, serveArgOptions);
  if (own.help === true) {
    console.log(serveHelp(optionsHelp()));
    return;
  }
  const config = loadConfig(flags);
  if (own["print-config"] === true) {
    console.log(JSON.stringify(printableConfig(config), null, 2));
    return;
  }
  const workers = parseWorkers(own.workers);
  if (workers > 1 && (config.databaseUrl === null || config.redisUrl === null)) {
    throw new ConfigError("--workers above 1 needs DATABASE_URL and REDIS_URL: workers share state only through PostgreSQL and Redis");
  }
  if (workers > 1 && cluster.isPrimary) {
    // Every worker must sign with the same keys: create the first one before forking, not once per worker.
    if (readKeys(config.jwtKeysDir).length === 0) await generateKey(config.jwtKeysDir, Date.now());
    return primary(config, workers);
  }
  return single(config);
}

async function single(config: Config): Promise<void> {
  const root = createLogger(config);
  const logger = areaLogger(root, config, "server");
  const server: RunningServer = await startServer(config, root, { clusterWorker: cluster.isWorker });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => process.exit(1), config.shutdownGraceMs).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  // A key file that cannot be read leaves the keys as they were; the failure is logged, the node lives on.
  process.on("SIGHUP", () =>
    background(
      server.services.keys.reload().then(() => logger.info("signing keys reloaded")),
      "keys.reload",
    ),
  );
  // Announced only once the signal handlers are in place: a supervisor (or a test) that stops the
  // node as soon as it reads this line must reach the graceful shutdown, not the default action of
  // SIGTERM, which would leave the data folder's lock behind.
  if (cluster.isWorker) process.send?.({ type: "listening", url: server.url, mode: server.services.mode });
  else console.log(`Croupier is serving on ${describe({ url: server.url, mode: server.services.mode })}`);
}

/** The primary only supervises: it forks, restarts a worker that dies, and stops them all on a signal. */
async function primary(config: Config, workers: number): Promise<void> {
  const logger = areaLogger(createLogger(config), config, "server");
  let stopping = false;
  let announced = false;
  const listening = new Set<number>();
  // Each worker has a slot 0..N-1, kept by its replacement: the `worker` label of its metrics.
  const slots = new Map<number, number>();
  primaryMetrics((worker) => slots.get(worker.id));
  const fork = (slot: number) => {
    const worker = cluster.fork();
    slots.set(worker.id, slot);
    worker.on("message", (message: { type?: string; url?: string; mode?: string }) => {
      if (message.type !== "listening" || message.url === undefined) return;
      listening.add(worker.id);
      if (!announced && listening.size === workers) {
        announced = true;
        console.log(`Croupier is serving on ${describe({ url: message.url, mode: message.mode ?? "production" })} with ${workers} workers`);
      }
    });
  };
  cluster.on("exit", (worker, code, signal) => {
    listening.delete(worker.id);
    const slot = slots.get(worker.id) ?? 0;
    slots.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ workerPid: worker.process.pid, code, signal }, "worker exited; starting a new one");
    setTimeout(() => fork(slot), restartDelayMs).unref();
  });
  for (let slot = 0; slot < workers; slot++) fork(slot);
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping workers");
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 1_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGHUP", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGHUP");
  });
}
