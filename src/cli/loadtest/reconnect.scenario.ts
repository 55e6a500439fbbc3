/**
 * The reconnect scenario: players share sandbox rooms, post notes (idempotent actions) with think
 * time, and every few seconds cut their own TCP connection without a close handshake. The SDK
 * reconnects and resumes from its last offset; the resume is timed from the cut to the `joined`
 * (`resumed`) reply, and the delivery tracker counts events lost or duplicated, which must be 0.
 */
import { DeliveryTracker } from "./delivery-tracker.js";
import { between, jittered } from "./random.js";
import { sleep, type SimulatedPlayer } from "./player.js";

export const reconnectRoomPlayersMax = 20;
const dropEveryActionsMin = 3;
const dropEveryActionsMax = 8;
/** After the run, time for the last events to reach everyone before the offsets are compared. */
const quietMs = 1_500;
const resumeWaitMsMax = 30_000;

export async function runReconnect(player: SimulatedPlayer, room: string): Promise<void> {
  const { client, ctx } = player;
  const tracker = new DeliveryTracker(client, room);
  await player.timed("join", () => client.join(room));
  let seq = 0;
  let nextDrop = between(dropEveryActionsMin, dropEveryActionsMax);
  while (!ctx.stopped()) {
    await Promise.race([sleep(jittered(ctx.plan.thinkTimeMs)), ctx.stopping]);
    if (ctx.stopped()) break;
    if (--nextDrop <= 0) {
      nextDrop = between(dropEveryActionsMin, dropEveryActionsMax);
      await dropAndResume(player, room, tracker);
      continue;
    }
    await player.timed("note", () => client.act(room, { kind: "note", text: `${player.index}.${seq++}` })).catch(() => undefined);
  }
  await sleep(quietMs);
  player.delivery = tracker.observed;
}

async function dropAndResume(player: SimulatedPlayer, room: string, tracker: DeliveryTracker): Promise<void> {
  const resumed = new Promise<void>((resolve) => {
    const off = player.client.on("joined", (j) => {
      if (j.room === room) {
        off();
        resolve();
      }
    });
  });
  const started = performance.now();
  if (!player.dropSocket()) return;
  tracker.observed.drops++;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), resumeWaitMsMax)));
  const ok = await Promise.race([resumed.then(() => true), timedOut]);
  clearTimeout(timer);
  if (ok) player.ctx.metrics.record("resume", started, performance.now());
  else player.ctx.metrics.error("LOADTEST_RESUME_TIMEOUT");
}
