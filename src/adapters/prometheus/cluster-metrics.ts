/**
 * One scrape of a `croupier serve --workers N` node sees every worker. node:cluster hands each
 * connection, so each scrape, to some worker; that worker asks the primary, which collects every
 * live worker's registry over IPC, labels each sample with `worker` (the worker's slot, 0..N-1,
 * kept across restarts so a series survives a crash), merges them and answers. Sum across the label
 * for the node (`sum without (worker) (...)`); the per-worker series are the "per-worker
 * versions". prom-client's own cluster aggregation is not used: it sums or drops samples by metric
 * (`first`, `omit`), which would lose exactly the per-worker series.
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, Registry, type MetricObjectWithValues, type MetricValue } from "prom-client";

type Json = MetricObjectWithValues<MetricValue<string>>[];

const askType = "croupier:metrics:ask";
const answerType = "croupier:metrics:answer";
const collectType = "croupier:metrics:collect";
const collectedType = "croupier:metrics:collected";

/** Longest the primary waits for the workers, and a worker for the primary, before answering with what it has. */
export const clusterMetricsTimeoutMs = 2_000;

interface Message {
  readonly type?: string;
  readonly id?: number;
  readonly text?: string;
  readonly metrics?: Json;
  readonly error?: string;
}

let nextId = 1;

/** In a worker: answers the primary's collect requests from `registry`, and returns how to ask for the node's text. */
export function workerMetrics(registry: Registry): () => Promise<string> {
  const waiting = new Map<number, (text: string | null) => void>();
  process.on("message", (message: Message) => {
    if (message.type === collectType && message.id !== undefined) {
      void registry.getMetricsAsJSON().then(
        (metrics) => process.send?.({ type: collectedType, id: message.id, metrics }),
        (error: unknown) => process.send?.({ type: collectedType, id: message.id, error: String(error) }),
      );
    } else if (message.type === answerType && message.id !== undefined) {
      waiting.get(message.id)?.(message.text ?? null);
    }
  });
  return async () => {
    const id = nextId++;
    const text = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), clusterMetricsTimeoutMs);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      process.send?.({ type: askType, id });
    });
    waiting.delete(id);
    // The primary did not answer (it is stopping): this worker's own figures beat an empty scrape.
    return text ?? (await registry.metrics());
  };
}

/** In the primary: answers workers' asks with every live worker's metrics, labelled by slot. */
export function primaryMetrics(slotOf: (worker: Worker) => number | undefined): void {
  const pending = new Map<number, { readonly responses: Json[]; remaining: number; readonly finish: () => void }>();
  cluster.on("message", (worker, message: Message) => {
    if (message.type === askType && message.id !== undefined) {
      const askId = message.id;
      void collect(slotOf, pending).then((text) => {
        if (worker.isConnected()) worker.send({ type: answerType, id: askId, text });
      });
    } else if (message.type === collectedType && message.id !== undefined) {
      const request = pending.get(message.id);
      if (request === undefined) return;
      const slot = slotOf(worker);
      if (message.metrics !== undefined && slot !== undefined) request.responses.push(labelled(message.metrics, String(slot)));
      if (--request.remaining === 0) request.finish();
    }
  });
}

function collect(
  slotOf: (worker: Worker) => number | undefined,
  pending: Map<number, { readonly responses: Json[]; remaining: number; readonly finish: () => void }>,
): Promise<string> {
  const id = nextId++;
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected() && slotOf(w) !== undefined);
  return new Promise<string>((resolve) => {
    const responses: Json[] = [];
    const finish = () => {
      clearTimeout(timer);
      pending.delete(id);
      resolve(merge(responses));
    };
    const timer = setTimeout(finish, clusterMetricsTimeoutMs);
    pending.set(id, { responses, remaining: workers.length, finish });
    if (workers.length === 0) {
      finish();
      return;
    }
    for (const worker of workers) worker.send({ type: collectType, id });
  });
}

function labelled(metrics: Json, worker: string): Json {
  return metrics.map((metric) => ({ ...metric, values: metric.values.map((v) => ({ ...v, labels: { ...v.labels, worker } })) }));
}

/** Every sample carries its worker label, so "sum" by label set keeps each worker's series apart. */
function merge(responses: readonly Json[]): Promise<string> {
  const asSum = responses.map((metrics) => metrics.map((metric) => ({ ...metric, aggregator: "sum" as const })));
  return AggregatorRegistry.aggregate(asSum).metrics();
}
