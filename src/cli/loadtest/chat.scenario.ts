/**
 * The chat scenario: players gather in sandbox rooms of `chatRoomPlayersMax` and chat, each at most
 * as often as the room's chat limit allows (20 messages a minute by default), with jitter.
 */
import { jittered } from "./random.js";
import { DeliveryTracker } from "./delivery-tracker.js";
import { sleep, type SimulatedPlayer } from "./player.js";

export const chatRoomPlayersMax = 50;
/** The server's default chatMessagesPerMinuteMax is 20: one message per 3 s, kept with a margin. */
const chatIntervalMsMin = 3_300;
const phrases = ["good luck all", "red again?", "nice one", "one more round", "gl hf", "what a spin"];

export async function runChat(player: SimulatedPlayer, room: string): Promise<void> {
  const { client, ctx } = player;
  const tracker = new DeliveryTracker(client, room);
  await player.timed("join", () => client.join(room));
  let seq = 0;
  while (!ctx.stopped()) {
    // Jitter above the floor only: never faster than the limit, whatever --think-time says.
    await Promise.race([sleep(chatIntervalMsMin + jittered(Math.max(ctx.plan.thinkTimeMs, 200))), ctx.stopping]);
    if (ctx.stopped()) break;
    const text = `${phrases[seq % phrases.length] as string} #${player.index}.${seq++}`;
    await player.timed("chat", () => client.chat(room, text)).catch(() => undefined);
  }
  player.delivery = tracker.observed;
}
