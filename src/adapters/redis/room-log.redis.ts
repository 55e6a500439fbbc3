import type { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import type {
  AppendOutcome,
  LiveHandler,
  LogEntry,
  LogEntryInput,
  LogRange,
  RoomHead,
  RoomLog,
  RoomLogLimits,
  RoomSnapshot,
} from "../../app/ports/room-log.js";
import type { RedisBus } from "./bus.redis.js";
import { roomChannel, roomKeys } from "./room-keys.js";
import { redisScript, type RedisScript } from "./scripts.js";

/**
 * Creates the epoch if the room has none (a new room, or one whose keys expired or were lost): the
 * old history is then meaningless and is removed with it.
 */
const ensureEpochLua = `
local epoch = redis.call('GET', KEYS[3])
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[3], epoch)
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[4])
end`;

const headScript = `${ensureEpochLua}
return {epoch, tonumber(redis.call('GET', KEYS[2]) or '0')}`;

/**
 * KEYS: log, head, epoch, snapshot, fence. Refused unless the fence is the latest one issued (0, a
 * room never leased, is never a writer's). ARGV: epoch candidate, fence, now, entriesMax, ageMsMax,
 * idleMs, channel, snapshot JSON, then one JSON object per entry. Entries are completed by string
 * concatenation so numbers inside `data` are never re-encoded by Lua's cjson (which rounds to 14 digits).
 */
const appendScript = `
if ARGV[2] == '0' or (redis.call('GET', KEYS[5]) or '0') ~= ARGV[2] then return false end
${ensureEpochLua}
local now = ARGV[3]
local published = {}
local head = tonumber(redis.call('GET', KEYS[2]) or '0')
for i = 9, #ARGV do
  head = redis.call('INCR', KEYS[2])
  local entry = '{"offset":' .. head .. ',"ts":' .. now .. ',' .. string.sub(ARGV[i], 2)
  redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[4], head .. '-1', 'e', entry, 't', now)
  published[#published + 1] = entry
end
local cutoff = tonumber(now) - tonumber(ARGV[5])
-- Entries are in time order: only when the oldest has aged out are up to 16 read and the aged ones
-- dropped (never the last one read). Reading 16 entries on every append cost more than the rest.
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
if first[1] and tonumber(first[1][2][4]) < cutoff then
  local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 16)
  for j = 1, #oldest - 1 do
    if tonumber(oldest[j][2][4]) < cutoff then redis.call('XDEL', KEYS[1], oldest[j][1]) end
  end
end
redis.call('SET', KEYS[4], '{"offset":' .. head .. ',"snapshot":' .. ARGV[8] .. '}')
for k = 1, 4 do redis.call('PEXPIRE', KEYS[k], ARGV[6]) end
for _, entry in ipairs(published) do
  redis.call('PUBLISH', ARGV[7], '{"epoch":"' .. epoch .. '","entry":' .. entry .. '}')
end
return {epoch, published}`;

function newEpoch(): string {
  return randomBytes(8).toString("hex");
}

function offsetOf(id: string): number {
  return Number(id.slice(0, id.indexOf("-")));
}

/** The room log in Redis Streams (ids are `<offset>-1`), live entries over the bus's pub/sub. */
export class RedisRoomLog implements RoomLog {
  private readonly headScript: RedisScript;
  private readonly appendScript: RedisScript;

  constructor(
    private readonly redis: Redis,
    private readonly bus: RedisBus,
    private readonly prefix: string,
    private readonly limits: RoomLogLimits & { readonly roomIdleMsMax: number },
  ) {
    this.headScript = redisScript(redis, "croupierRoomHead", 4, headScript);
    this.appendScript = redisScript(redis, "croupierRoomAppend", 5, appendScript);
  }

  private keyList(room: string): string[] {
    const k = roomKeys(this.prefix, room);
    return [k.log, k.head, k.epoch, k.snapshot, k.fence];
  }

  async head(room: string): Promise<RoomHead> {
    const [epoch, offset] = (await this.headScript(...this.keyList(room).slice(0, 4), newEpoch())) as [string, number | string];
    return { epoch, offset: Number(offset) };
  }

  async append(room: string, fence: number, entries: readonly LogEntryInput[], snapshot: RoomSnapshot, nowMs: number): Promise<AppendOutcome> {
    const result = (await this.appendScript(
      ...this.keyList(room),
      newEpoch(),
      String(fence),
      String(nowMs),
      this.limits.roomLogEntriesMax,
      this.limits.roomLogAgeMsMax,
      this.limits.roomIdleMsMax,
      this.bus.channel(roomChannel(room)),
      JSON.stringify(snapshot),
      ...entries.map((e) => JSON.stringify(e)),
    )) as [string, string[]] | null;
    if (result === null) return { ok: false, reason: "fenced" };
    return { ok: true, epoch: result[0], entries: result[1].map((e) => JSON.parse(e) as LogEntry) };
  }

  async read(room: string, afterOffset: number, limit: number): Promise<LogRange> {
    const keys = roomKeys(this.prefix, room);
    const head = await this.head(room);
    const [[, range], [, first]] = (await this.redis
      .multi()
      .xrange(keys.log, `${afterOffset + 1}-0`, "+", "COUNT", limit)
      .xrange(keys.log, "-", "+", "COUNT", 1)
      .exec()) as [[Error | null, Array<[string, string[]]>], [Error | null, Array<[string, string[]]>]];
    const oldestOffset = first[0] === undefined ? head.offset + 1 : offsetOf(first[0][0]);
    return { epoch: head.epoch, oldestOffset, entries: range.map(([, fields]) => JSON.parse(fields[1] as string) as LogEntry) };
  }

  async snapshot(room: string) {
    const head = await this.head(room);
    const raw = await this.redis.get(roomKeys(this.prefix, room).snapshot);
    if (raw === null) return { epoch: head.epoch, offset: head.offset, snapshot: null };
    const parsed = JSON.parse(raw) as { offset: number; snapshot: RoomSnapshot };
    return { epoch: head.epoch, offset: parsed.offset, snapshot: parsed.snapshot };
  }

  async subscribe(room: string, handler: LiveHandler): Promise<() => Promise<void>> {
    return this.bus.subscribe(roomChannel(room), (message) => {
      const { epoch, entry } = JSON.parse(message) as { epoch: string; entry: LogEntry };
      handler(epoch, entry);
    });
  }

  async close(): Promise<void> {}
}
