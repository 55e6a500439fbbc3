/**
 * Redis keys of one room. The `{room}` hash tag keeps them in one Redis Cluster slot, so the Lua
 * scripts that touch several of them stay atomic on a cluster too.
 */
export function roomKeys(prefix: string, room: string) {
  const base = `${prefix}room:{${room}}:`;
  return {
    lease: `${base}lease`,
    fence: `${base}fence`,
    log: `${base}log`,
    head: `${base}head`,
    epoch: `${base}epoch`,
    snapshot: `${base}snap`,
  };
}

/** The pub/sub channel of a room's live entries, relative to the bus prefix. */
export function roomChannel(room: string): string {
  return `room.${room}`;
}
