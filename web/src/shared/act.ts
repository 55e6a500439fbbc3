import { CroupierError, type ActResult, type CroupierClient } from "croupier/client";

/**
 * Sitting down and leaving do not depend on what the table looked like when the player clicked: when
 * the table moved on while the action was on its way (a hand started: `ACTION_STALE`), the action is
 * sent again on the state as it is now, as docs/ERRORS.md tells clients to. Other refusals are shown.
 */
export async function actAgainIfStale(
  client: CroupierClient,
  room: string,
  action: { kind: string; [key: string]: unknown },
  attempts = 4,
): Promise<ActResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.act(room, action);
    } catch (e) {
      if (!(e instanceof CroupierError && e.code === "ACTION_STALE" && attempt < attempts)) throw e;
      // Time for the event that moved the table on to arrive, so the next attempt is decided after it.
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
