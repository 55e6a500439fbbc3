import { useEffect, useState } from "preact/hooks";
import type { CroupierClient, RoomEvent } from "croupier/client";
import type { Me, Session } from "./session.js";

export interface RoomView<S> {
  readonly state: S | null;
  readonly watching: number;
}

/**
 * Joins a room for as long as the component is shown and folds its events into a state: the snapshot
 * (or a reset's) starts it, every event after it goes through `apply`, in offset order, exactly once —
 * the SDK's promise, kept across reconnects by resuming from the last offset.
 */
export function useRoom<S>(
  client: CroupierClient,
  room: string,
  start: (snapshotState: Record<string, unknown>, snapshot: unknown) => S,
  apply: (state: S, event: RoomEvent) => S,
  onError?: (error: unknown) => void,
): RoomView<S> {
  const [state, setState] = useState<S | null>(null);
  const [watching, setWatching] = useState(0);
  useEffect(() => {
    const fromSnapshot = (snapshot: unknown) => setState(start((snapshot as { state?: Record<string, unknown> } | undefined)?.state ?? {}, snapshot));
    const offs = [
      client.on("joined", (j) => {
        if (j.room === room) {
          setWatching(j.presence.count);
          if (j.mode !== "resumed") fromSnapshot(j.snapshot);
        }
      }),
      client.on("reset", (r) => {
        if (r.room === room) fromSnapshot(r.snapshot);
      }),
      client.on("event", (e) => {
        if (e.room === room) setState((s) => (s === null ? s : apply(s, e)));
      }),
      client.on("presence", (p) => {
        if (p.room === room) setWatching(p.count);
      }),
    ];
    setState(null);
    client
      .connect()
      .then(() => client.join(room))
      .catch((error: unknown) => onError?.(error));
    return () => {
      for (const off of offs) off();
      client.leave(room).catch(() => undefined);
    };
  }, [client, room]);
  return { state, watching };
}

/** Re-renders every `periodMs` and returns the server's time by the synced clock. */
export function useServerNow(client: CroupierClient, periodMs = 250): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return client.clock === null ? Date.now() : client.serverNow();
}

export function useConnectionState(client: CroupierClient): string {
  const [state, setState] = useState<string>(client.state);
  useEffect(() => client.on("state", setState), [client]);
  return state;
}

/** Who is logged in, starting with a stored login being resumed (`restoring` until that is known). */
export function useLogin(session: Session): { me: Me | null; restoring: boolean; setMe: (me: Me | null) => void } {
  const [me, setMe] = useState<Me | null>(null);
  const [restoring, setRestoring] = useState(session.hasStoredLogin);
  useEffect(() => {
    if (restoring)
      void session.restore().then((m) => {
        setMe(m);
        setRestoring(false);
      });
  }, []);
  return { me, restoring, setMe };
}
