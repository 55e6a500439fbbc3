// A benchmark client process holding many clock-synced SDK clients. For every reveal it records, per
// client, the moment the SDK handed the event to the application, in server time (local time plus
// that client's own clock offset), and reports them when every client has had round k.
import { WebSocket } from "ws";
import { CroupierClient } from "../../src/client/index.js";

export type RevealParent =
  | {
      readonly op: "open";
      readonly url: string;
      readonly tokens: readonly string[];
      readonly room: string;
      readonly count: number;
      readonly concurrency: number;
    }
  | { readonly op: "close" };

export type RevealChild =
  | {
      readonly op: "opened";
      readonly ok: number;
      readonly failed: number;
      readonly firstError: string | null;
      readonly rttMs: number[];
      readonly offsetMs: number[];
    }
  | { readonly op: "round"; readonly round: number; readonly revealAt: number; readonly deliveredMs: number[] };

const clients: CroupierClient[] = [];
const rounds = new Map<number, { revealAt: number; deliveredMs: number[] }>();

function send(message: RevealChild): void {
  process.send?.(message);
}

function watch(client: CroupierClient): void {
  client.on("event", (event) => {
    if (event.kind !== "reveal" || event.revealAt === undefined) return;
    const deliveredMs = client.serverNow();
    const round = Number((event.data as { value: string }).value);
    const entry = rounds.get(round) ?? { revealAt: event.revealAt, deliveredMs: [] };
    entry.deliveredMs.push(deliveredMs);
    rounds.set(round, entry);
    if (entry.deliveredMs.length === clients.length) {
      rounds.delete(round);
      send({ op: "round", round, revealAt: entry.revealAt, deliveredMs: entry.deliveredMs });
    }
  });
}

async function open(message: Extract<RevealParent, { op: "open" }>): Promise<void> {
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async () => {
    while (next < message.count) {
      const i = next++;
      const client = new CroupierClient({
        url: message.url,
        WebSocket,
        accessToken: message.tokens[i % message.tokens.length] as string,
        requestTimeoutMs: 30_000,
      });
      try {
        await client.connect();
        await client.join(message.room);
        watch(client);
        clients.push(client);
      } catch (error) {
        failed++;
        firstError ??= String(error);
        client.close();
      }
    }
  };
  await Promise.all(Array.from({ length: message.concurrency }, worker));
  // Once everyone is in, each client syncs again on a quiet machine: the connection storm inflates round trips.
  for (const client of clients) await client.syncClock();
  send({
    op: "opened",
    ok: clients.length,
    failed,
    firstError,
    rttMs: clients.map((c) => c.clock?.rttMs ?? Number.NaN),
    offsetMs: clients.map((c) => c.clock?.offsetMs ?? Number.NaN),
  });
}

process.on("message", (message: RevealParent) => {
  if (message.op === "open") void open(message);
  if (message.op === "close") {
    for (const client of clients) client.close();
    setTimeout(() => process.exit(0), 50);
  }
});
process.on("disconnect", () => process.exit(0));
