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
 * idleMs, channel, snapshot JSON, the writer's origin tag (the first field of what is published), then one
 * JSON object per entry. Entries are completed by string
 * concatenation so numbers inside `data` are never re-encoded by Lua's cjson (which rounds to 14 digits).
 */
const appendScript = `
if ARGV[2] == '0' or (redis.call('GET', KEYS[5]) or '0') ~= ARGV[2] then return false end
${ensureEpochLua}
local now = ARGV[3]
local published = {}
local head = tonumber(redis.call('GET', KEYS[2]) or '0')
for i = 10, #ARGV do
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
  redis.call('PUBLISH', ARGV[7], '{"origin":"' .. ARGV[9] .. '","epoch":"' .. epoch .. '","entry":' .. entry .. '}')
end
return {epoch, head}`;

/**
 * Epoch candidates: a random per-process part and a counter, so every candidate is new without a
 * random draw per append (the candidate is only used where a room has no epoch yet).
 */
const epochProcessPart = randomBytes(6).toString("hex");
let epochCounter = 0;
function newEpoch(): string {
  return `${epochProcessPart}${(++epochCounter).toString(36)}`;
}

function offsetOf(id: string): number {
  return Number(id.slice(0, id.indexOf("-")));
}

/**
 * The room log in Redis Streams (ids are `<offset>-1`), live entries over the bus's pub/sub. Entries
 * this process appends reach its own subscribers at once, from the append's answer; the copy Redis
 * publishes carries this process's origin tag, and its own subscription drops it unread (other
 * processes parse it). A room's subscribers on the writing node so get the entry without a round
 * trip through Redis, and the node parses nothing twice.
 */
export class RedisRoomLog implements RoomLog {
  private readonly headScript: RedisScript;
  private readonly appendScript: RedisScript;
  /** Tags every message this process publishes (its first field, so a node reading none still parses it). */
  private readonly origin = randomBytes(6).toString("hex");
  private readonly local = new Map<string, Set<LiveHandler>>();

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
      this.origin,
      ...entries.map((e) => JSON.stringify(e)),
    )) as [string, number] | null;
    if (result === null) return { ok: false, reason: "fenced" };
    // The script answers the epoch and the last offset it wrote; the entries are the inputs at the
    // offsets before it, stamped `nowMs`, as the script wrote them (nothing is sent back to be parsed).
    const [epoch, head] = result;
    const first = head - entries.length + 1;
    const written: LogEntry[] = entries.map((e, i) => ({ offset: first + i, ts: nowMs, ...e }));
    const handlers = this.local.get(room);
    if (handlers !== undefined) for (const entry of written) for (const handler of handlers) handler(epoch, entry);
    return { ok: true, epoch, entries: written };
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
    let handlers = this.local.get(room);
    if (handlers === undefined) {
      handlers = new Set();
      this.local.set(room, handlers);
    }
    const own = (epoch: string, entry: LogEntry) => handler(epoch, entry);
    handlers.add(own);
    const ownTag = `{"origin":"${this.origin}"`;
    let unsubscribe: () => Promise<void>;
    try {
      unsubscribe = await this.bus.subscribe(roomChannel(room), (message) => {
        // This process's own appends were handed over when they were written.
        if (message.startsWith(ownTag)) return;
        const { epoch, entry } = JSON.parse(message) as { epoch: string; entry: LogEntry };
        handler(epoch, entry);
      });
    } catch (error) {
      this.forget(room, own);
      throw error;
    }
    return async () => {
      this.forget(room, own);
      await unsubscribe();
    };
  }

  private forget(room: string, handler: LiveHandler): void {
    const handlers = this.local.get(room);
    handlers?.delete(handler);
    if (handlers?.size === 0) this.local.delete(room);
  }

  async close(): Promise<void> {}
}
