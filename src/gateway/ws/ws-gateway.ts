import type { StageObserver } from "../../app/ports/metrics.js";
import { background } from "../../app/background.js";
import { isServiceUnavailable } from "../../app/ports/failures.js";
import { WebSocketServer, type WebSocket } from "ws";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import type { AuthService } from "../../app/auth/auth.service.js";
import { detailOf, isAuditedRoomAction, isStaff, type AuditTrail } from "../../app/audit/audit-trail.js";
import { sessionRevokedChannel } from "../../app/auth/session-guard.js";
import type { Bus } from "../../app/ports/bus.js";
import type { Clock } from "../../app/ports/clock.js";
import type { LogEntry, RoomLog } from "../../app/ports/room-log.js";
import type { RoomDirectory } from "../../app/rooms/room-directory.js";
import type { HostReply } from "../../app/rooms/room-host.js";
import { roomKind } from "../../app/rooms/room-behavior.js";
import { unwrittenView, viewOf } from "../../app/rooms/snapshot-envelope.js";
import { protocolVersion, type ActionFrame, type ChatFrame, type ClientFrame, type JoinFrame, type ModerateFrame } from "../../protocol/ws.messages.js";
import { errors } from "../../protocol/errors.js";
import { parseFrame } from "./frames.js";
import { textFrame } from "./text-frame.js";
import { RoomFeed } from "./room-feed.js";
import { Connection } from "./ws-connection.js";
import type { GatewayMetrics } from "./ws-metrics.js";

export const wsPath = "/v1/ws";

export interface GatewayLimits {
  readonly frameBytesMax: number;
  readonly messagesPerSecondMax: number;
  readonly roomsPerConnectionMax: number;
  readonly sendQueueBytesMax: number;
  readonly roomMembersMax: number;
  readonly presenceMembersMax: number;
  readonly edgeBufferEntriesMax: number;
  readonly authTimeoutMs: number;
  readonly wsConnectionsMax: number;
  /** Sockets still waiting for their hello, per process and per client address: a budget apart from wsConnectionsMax's. */
  readonly wsUnauthenticatedMax: number;
  readonly wsUnauthenticatedPerAddressMax: number;
  /** Take the client address from X-Forwarded-For (its first entry), as the HTTP side does. */
  readonly trustProxy: boolean;
  readonly presenceIntervalMs: number;
  readonly sandboxRoomsEnabled: boolean;
}

export interface GatewayDeps {
  readonly auth: AuthService;
  readonly directory: RoomDirectory;
  readonly log: RoomLog;
  readonly bus: Bus;
  readonly clock: Clock;
  /** Area `ws`: connections and refused frames. */
  readonly logger: Logger;
  /** Area `rooms`: joins, leaves and refused actions, with the room (and round) they concern. */
  readonly roomsLogger?: Logger;
  readonly metrics: GatewayMetrics;
  readonly limits: GatewayLimits;
  /** Times the stages of each action's path that happen here (parse, ack, total). */
  readonly stages?: StageObserver;
  /** Operator and dealer actions (table controls, a live dealer's round, moderation) are recorded here. */
  readonly audit: AuditTrail;
  /** Told of each authenticated connection (the risk engine links accounts by device and address); must not throw or wait. */
  readonly onConnection?: (connection: { readonly userId: string; readonly deviceId: string; readonly address: string }) => void;
}

const invalidFramesMax = 50;

/**
 * The WebSocket side of a node: accepts sockets on /v1/ws, authenticates them with a hello frame,
 * checks every frame against the protocol, and connects members to their rooms' feeds.
 */
export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  /** Sockets without a principal yet, oldest first, with their client address; and the same per address. */
  private readonly waiting = new Map<Connection, string>();
  private readonly waitingByAddress = new Map<string, Set<Connection>>();
  private readonly feeds = new Map<string, RoomFeed>();
  private readonly presenceByNode = new Map<string, Map<string, { count: number; members: string[]; atMs: number }>>();
  private readonly presenceStops = new Map<string, () => Promise<void>>();
  private readonly dirtyPresence = new Set<string>();
  private connectionSeq = 0;
  private stopRevocations: (() => Promise<void>) | null = null;
  private presenceTimer: ReturnType<typeof setInterval> | null = null;
  private presenceTicks = 0;

  constructor(private readonly deps: GatewayDeps) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.limits.frameBytesMax, perMessageDeflate: false, clientTracking: false });
  }

  async attach(server: Server): Promise<void> {
    server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? "").split("?")[0];
      if (path !== wsPath) {
        socket.end("HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n");
        return;
      }
      const address = this.addressOf(request);
      if (!this.makeRoom(address)) {
        socket.end("HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n");
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, address));
    });
    this.stopRevocations = await this.deps.bus.subscribe(sessionRevokedChannel, (sessionId) => {
      for (const connection of this.connections) if (connection.principal?.sessionId === sessionId) connection.close("sessionRevoked");
    });
    this.presenceTimer = setInterval(() => background(this.publishPresence(), "ws.presence"), this.deps.limits.presenceIntervalMs);
    this.presenceTimer.unref();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** The authenticated sessions with a socket on this node (one entry per socket). */
  *sessions(): Iterable<{ readonly userId: string; readonly sessionId: string }> {
    for (const connection of this.connections)
      if (connection.principal) yield { userId: connection.principal.userId, sessionId: connection.principal.sessionId };
  }

  async close(): Promise<void> {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    for (const connection of this.connections) connection.close("goingAway");
    await this.stopRevocations?.();
    for (const stop of this.presenceStops.values()) await stop();
    for (const feed of this.feeds.values()) await feed.stop();
    this.wss.close();
  }

  /** Rooms with members on this node, and their members, by room kind (for the metrics). */
  census(): Map<string, { rooms: number; members: number }> {
    const byKind = new Map<string, { rooms: number; members: number }>();
    for (const [room, feed] of this.feeds) {
      const kind = roomKind(room);
      const entry = byKind.get(kind) ?? { rooms: 0, members: 0 };
      entry.rooms++;
      entry.members += feed.members.size;
      byKind.set(kind, entry);
    }
    return byKind;
  }

  private addressOf(request: IncomingMessage): string {
    const forwarded = this.deps.limits.trustProxy ? request.headers["x-forwarded-for"] : undefined;
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    return first !== undefined && first !== "" ? first : (request.socket.remoteAddress ?? "unknown");
  }

  /**
   * Makes room for one more socket from `address`, or says there is none (every slot is held by an
   * authenticated player). Sockets still waiting for their hello have a budget of their own, per
   * address and in all; over it, the oldest of them is closed with 4011. A flood of idle sockets thus
   * only ever displaces other idle sockets, never a player, and a player's new socket gets in by
   * displacing the oldest idle one, then leaves the budget with its hello a few milliseconds later.
   */
  private makeRoom(address: string): boolean {
    const { limits } = this.deps;
    const fromAddress = this.waitingByAddress.get(address);
    if (fromAddress !== undefined && fromAddress.size >= limits.wsUnauthenticatedPerAddressMax) this.evictOldest(fromAddress, "address");
    if (this.waiting.size >= limits.wsUnauthenticatedMax) this.evictOldest(this.waiting.keys(), "process");
    if (this.connections.size < limits.wsConnectionsMax) return true;
    if (this.waiting.size === 0) return false;
    this.evictOldest(this.waiting.keys(), "connections");
    return true;
  }

  private evictOldest(candidates: Iterable<Connection>, limit: "address" | "process" | "connections"): void {
    for (const connection of candidates) {
      this.deps.metrics.unauthenticatedClosed.inc({ limit });
      this.stopWaiting(connection);
      // Out of the count at once: its close completes later, and the newcomer takes its place now.
      this.connections.delete(connection);
      connection.close("crowded");
      return;
    }
  }

  private stopWaiting(connection: Connection): void {
    const address = this.waiting.get(connection);
    if (address === undefined) return;
    this.waiting.delete(connection);
    const fromAddress = this.waitingByAddress.get(address);
    fromAddress?.delete(connection);
    if (fromAddress?.size === 0) this.waitingByAddress.delete(address);
  }

  /** `address` is the client's (X-Forwarded-For's first entry when trustProxy), for the unauthenticated budget and the audit log. */
  private accept(ws: WebSocket, address: string): void {
    const { limits, metrics } = this.deps;
    const connection = new Connection(
      `c${process.pid.toString(36)}-${(++this.connectionSeq).toString(36)}`,
      ws,
      { sendQueueBytesMax: limits.sendQueueBytesMax, messagesPerSecondMax: limits.messagesPerSecondMax, invalidFramesMax },
      () => metrics.slowConsumers.inc(),
      this.deps.logger,
      metrics.tally,
    );
    connection.clientAddress = address;
    this.connections.add(connection);
    this.waiting.set(connection, address);
    const fromAddress = this.waitingByAddress.get(address) ?? new Set<Connection>();
    fromAddress.add(connection);
    this.waitingByAddress.set(address, fromAddress);
    metrics.connections.inc();
    const authTimer = setTimeout(() => {
      if (connection.principal === null) connection.close("authTimeout");
    }, limits.authTimeoutMs);
    authTimer.unref();
    let expiryTimer: ReturnType<typeof setTimeout> | null = null;
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      metrics.messagesIn.inc();
      metrics.bytesIn.inc(data.length);
      if (isBinary) {
        connection.close("unsupportedData");
        return;
      }
      void this.onFrame(connection, data.toString("utf8"))
        .then((expiresAtMs) => {
          if (expiresAtMs !== undefined) {
            clearTimeout(authTimer);
            expiryTimer = setTimeout(() => connection.close("tokenExpired"), Math.max(0, expiresAtMs - this.deps.clock.nowMs()));
            expiryTimer.unref();
          }
        })
        .catch((error: unknown) => {
          // A backing service that is down or saturated is the client's to retry; anything else is a bug.
          const name = isServiceUnavailable(error) ? "SERVICE_UNAVAILABLE" : "INTERNAL";
          connection.sendError(name);
          connection.log.error({ err: error, code: errors[name].code, requestId: connection.lastRequestId }, "frame handling failed");
        });
    });
    ws.on("error", () => connection.close("protocolViolation"));
    ws.on("close", (code: number) => {
      connection.debug({ closeCode: code, rooms: connection.rooms.size }, "connection closed");
      clearTimeout(authTimer);
      if (expiryTimer) clearTimeout(expiryTimer);
      this.stopWaiting(connection);
      this.connections.delete(connection);
      metrics.connections.dec();
      for (const room of connection.rooms) void this.leave(connection, room);
    });
  }

  /** Handles one frame; returns the token expiry when the frame authenticated the connection. */
  private async onFrame(connection: Connection, text: string): Promise<number | undefined> {
    const received = performance.now();
    const admitted = connection.admit(this.deps.clock.nowMs());
    if (admitted === "flood") {
      connection.close("flood");
      return undefined;
    }
    if (admitted === "limited") {
      const parsed = parseFrame(text);
      connection.sendError("WS_RATE_LIMITED", parsed.ok ? (parsed.frame as { id?: string }).id : parsed.id);
      return undefined;
    }
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      this.deps.metrics.frameErrors.inc({ code: parsed.error });
      connection.sendError(parsed.error, parsed.id, parsed.details);
      if (connection.invalid()) connection.close("protocolViolation");
      return undefined;
    }
    const frame = parsed.frame;
    if (frame.type === "action") this.deps.stages?.("parse", performance.now() - received);
    if (frame.type === "hello") return this.hello(connection, frame);
    if (frame.type === "time") {
      // The same clock that stamps `ts` and `revealAt`: a client synced to it reveals at the right moment.
      connection.send({ type: "time", id: frame.id, t0: frame.t0, t1: this.deps.clock.nowMs() });
      return undefined;
    }
    if (connection.principal === null) {
      connection.sendError("WS_NOT_AUTHENTICATED", frame.id);
      return undefined;
    }
    await this.dispatch(connection, frame);
    if (frame.type === "action") this.deps.stages?.("total", performance.now() - received);
    return undefined;
  }

  private async hello(connection: Connection, frame: Extract<ClientFrame, { type: "hello" }>): Promise<number | undefined> {
    if (connection.principal !== null) {
      connection.sendError("WS_ALREADY_AUTHENTICATED", frame.id);
      return undefined;
    }
    if (frame.protocol !== protocolVersion) {
      connection.sendError("WS_PROTOCOL_UNSUPPORTED", frame.id, [`this server speaks protocol ${protocolVersion}`]);
      return undefined;
    }
    const outcome = await this.deps.auth.authenticate(frame.token);
    if (!outcome.ok) {
      connection.sendError(outcome.error, frame.id);
      connection.close(outcome.error === "AUTH_TOKEN_EXPIRED" ? "tokenExpired" : outcome.error === "AUTH_SESSION_REVOKED" ? "sessionRevoked" : "authFailed");
      return undefined;
    }
    connection.principal = outcome.value;
    this.stopWaiting(connection);
    connection.rebindLog();
    connection.debug({}, "connection authenticated");
    this.deps.onConnection?.({ userId: outcome.value.userId, deviceId: outcome.value.deviceId, address: connection.clientAddress ?? "" });
    const { limits } = this.deps;
    connection.send({
      type: "welcome",
      ...(frame.id ? { id: frame.id } : {}),
      userId: outcome.value.userId,
      sessionId: outcome.value.sessionId,
      node: this.deps.directory.nodeId,
      serverTime: this.deps.clock.nowMs(),
      protocol: protocolVersion,
      limits: {
        frameBytesMax: limits.frameBytesMax,
        messagesPerSecondMax: limits.messagesPerSecondMax,
        roomsPerConnectionMax: limits.roomsPerConnectionMax,
        sendQueueBytesMax: limits.sendQueueBytesMax,
      },
    });
    return outcome.value.expiresAtMs;
  }

  private async dispatch(connection: Connection, frame: Exclude<ClientFrame, { type: "hello" | "time" }>): Promise<void> {
    switch (frame.type) {
      case "join":
        return this.join(connection, frame);
      case "leave":
        if (!connection.rooms.has(frame.room)) {
          connection.sendError("ROOM_NOT_JOINED", frame.id);
          return;
        }
        await this.leave(connection, frame.room);
        connection.send({ type: "left", id: frame.id, room: frame.room, reason: "requested" });
        return;
      case "action":
        return this.request(connection, frame, {
          type: "action",
          actor: this.actor(connection),
          actionId: frame.actionId,
          lastOffset: frame.lastOffset,
          action: frame.action,
        });
      case "chat":
        return this.request(connection, frame, { type: "chat", actor: this.actor(connection), text: frame.text });
      case "moderate":
        return this.request(connection, frame, { type: "moderate", actor: this.actor(connection), op: frame.op, userId: frame.userId });
    }
  }

  private actor(connection: Connection) {
    return { userId: connection.userId, roles: connection.principal?.roles ?? [] };
  }

  private async request(
    connection: Connection,
    frame: ActionFrame | ChatFrame | ModerateFrame,
    request: Parameters<RoomDirectory["submit"]>[1],
  ): Promise<void> {
    if (!connection.rooms.has(frame.room)) {
      connection.sendError("ROOM_NOT_JOINED", frame.id);
      return;
    }
    const reply: HostReply = await this.deps.directory.submit(frame.room, request);
    if (frame.type !== "chat") await this.audit(connection, frame, reply);
    if (!reply.ok) {
      connection.sendError(reply.error, frame.id, reply.details, { room: frame.room });
      const requestId = connection.lastRequestId;
      if (this.deps.roomsLogger?.isLevelEnabled("debug") === true) {
        const roundId = frame.type === "action" ? (frame.action as { roundId?: unknown }).roundId : undefined;
        this.deps.roomsLogger.debug(
          {
            connectionId: connection.id,
            userId: connection.userId,
            requestId,
            room: frame.room,
            roundId,
            actionId: frame.type === "action" ? frame.actionId : undefined,
            kind: frame.type === "action" ? frame.action.kind : frame.type,
            code: errors[reply.error].code,
            details: reply.details,
          },
          "room refused an action",
        );
      }
      return;
    }
    const replied = performance.now();
    connection.send({
      type: "ack",
      id: frame.id,
      room: frame.room,
      actionId: frame.type === "action" ? frame.actionId : frame.id,
      status: reply.status,
      ...(reply.result === undefined ? {} : { result: reply.result }),
    });
    if (frame.type === "action") this.deps.stages?.("ack", performance.now() - replied);
  }

  /** Records a staff member's control action or moderation, with its outcome, before the client hears it. */
  private async audit(connection: Connection, frame: ActionFrame | ModerateFrame, reply: HostReply): Promise<void> {
    const roles = connection.principal?.roles ?? [];
    if (frame.type === "action" ? !isAuditedRoomAction(frame.action.kind, roles) : !isStaff(roles)) return;
    const given = frame.type === "action" ? (frame.action as { reason?: unknown }).reason : undefined;
    const reason = typeof given === "string" ? given : null;
    await this.deps.audit.record({
      actorId: connection.userId,
      actorRoles: roles,
      target: frame.room,
      reason,
      outcome: reply.ok ? reply.status : reply.error,
      clientAddress: connection.clientAddress,
      requestId: `${connection.id}/${frame.id}`,
      ...(frame.type === "action"
        ? { action: frame.action.kind, detail: { ...detailOf(frame.action), actionId: frame.actionId } }
        : { action: `chat.${frame.op}`, detail: { userId: frame.userId } }),
    });
  }

  private async join(connection: Connection, frame: JoinFrame): Promise<void> {
    const { directory, limits, log } = this.deps;
    const behavior = directory.behaviorOf(frame.room);
    if (behavior === undefined || (behavior.kind === "sandbox" && !limits.sandboxRoomsEnabled)) {
      connection.sendError("ROOM_NOT_FOUND", frame.id);
      return;
    }
    if (!behavior.canJoin(frame.room, this.actor(connection))) {
      connection.sendError("ROOM_FORBIDDEN", frame.id);
      return;
    }
    if (connection.rooms.has(frame.room)) await this.leave(connection, frame.room);
    if (connection.rooms.size >= limits.roomsPerConnectionMax) {
      connection.sendError("ROOM_LIMIT", frame.id);
      return;
    }
    const feed = await this.feedOf(frame.room);
    if (feed.members.size >= limits.roomMembersMax) {
      connection.sendError("ROOM_FULL", frame.id);
      return;
    }
    connection.rooms.add(frame.room);
    directory.watch(frame.room);
    await directory.ensureHosted(frame.room);

    const resume = frame.resume;
    if (resume !== undefined && resume.epoch === feed.epoch && resume.offset > feed.lastOffset) {
      const head = await log.head(frame.room);
      if (resume.offset > head.offset) {
        connection.rooms.delete(frame.room);
        directory.unwatch(frame.room);
        connection.sendError("ACTION_OFFSET_INVALID", frame.id, [`room ${frame.room} is at offset ${head.offset}`]);
        return;
      }
    }
    if (
      resume !== undefined &&
      resume.epoch === feed.epoch &&
      (resume.offset + 1 >= feed.oldestBuffered || resume.offset + 1 >= (await log.read(frame.room, resume.offset, 1)).oldestOffset)
    ) {
      this.deps.metrics.resumes.inc();
      connection.send({ type: "joined", id: frame.id, room: frame.room, epoch: feed.epoch, offset: resume.offset, mode: "resumed", presence: feed.presence });
      await feed.addMember(connection, resume.offset);
    } else {
      const stored = await log.snapshot(frame.room);
      const snapshot = viewOf(stored.snapshot, connection.userId) ?? unwrittenView(behavior.snapshot(behavior.initial(frame.room)));
      if (resume !== undefined) this.deps.metrics.resets.inc();
      connection.send({
        type: "joined",
        id: frame.id,
        room: frame.room,
        epoch: stored.epoch,
        offset: stored.offset,
        mode: resume === undefined ? "snapshot" : "reset",
        snapshot,
        presence: feed.presence,
      });
      await feed.addMember(connection, stored.offset);
    }
    this.deps.roomsLogger?.debug({ connectionId: connection.id, userId: connection.userId, room: frame.room, resumed: resume !== undefined }, "joined a room");
    this.markPresence(frame.room);
  }

  private async leave(connection: Connection, room: string): Promise<void> {
    this.deps.roomsLogger?.debug({ connectionId: connection.id, userId: connection.userId, room }, "left a room");
    connection.rooms.delete(room);
    this.deps.directory.unwatch(room);
    const feed = this.feeds.get(room);
    if (feed === undefined) return;
    feed.removeMember(connection);
    this.markPresence(room);
  }

  private async feedOf(room: string): Promise<RoomFeed> {
    let feed = this.feeds.get(room);
    if (feed === undefined) {
      feed = new RoomFeed(
        room,
        this.deps.log,
        this.deps.limits,
        (f, entry, seconds) => this.onEntry(f, entry, seconds),
        (f, outcome, epoch) => this.onEpoch(f, outcome, epoch),
      );
      this.feeds.set(room, feed);
      this.presenceStops.set(room, await this.deps.bus.subscribe(`room.presence.${room}`, (message) => this.onPresence(room, message)));
    }
    await feed.start();
    return feed;
  }

  private onEntry(feed: RoomFeed, entry: LogEntry, fanoutSeconds: number): void {
    this.deps.metrics.eventsOut.inc(feed.members.size);
    this.deps.metrics.fanout.observe(fanoutSeconds);
    if (entry.kind === "moderation") {
      const data = entry.data as { op?: string; userId?: string };
      if (data.op !== "kick") return;
      for (const connection of [...feed.members.keys()]) {
        if (connection.userId !== data.userId) continue;
        void this.leave(connection, feed.room);
        connection.send({ type: "left", room: feed.room, reason: "kicked" });
      }
    }
  }

  /** Per room: when a foreign entry was last reported, and how many were dropped since. */
  private readonly foreignEntries = new Map<string, { reportedAt: number; dropped: number }>();

  /** The feed already reset its members, or dropped a foreign entry; said here for the operator (a foreign writer at most every 10 s per room). */
  private onEpoch(feed: RoomFeed, outcome: "reset" | "foreign", epoch: string): void {
    if (outcome === "reset") {
      this.deps.roomsLogger?.info({ room: feed.room, epoch, members: feed.members.size }, "room log restarted in a new epoch: members reset");
      return;
    }
    const now = this.deps.clock.nowMs();
    const seen = this.foreignEntries.get(feed.room) ?? { reportedAt: Number.NEGATIVE_INFINITY, dropped: 0 };
    seen.dropped++;
    this.foreignEntries.set(feed.room, seen);
    if (now - seen.reportedAt < 10_000) return;
    this.deps.roomsLogger?.warn(
      { room: feed.room, epoch, roomEpoch: feed.epoch, dropped: seen.dropped },
      "refused live entries of a foreign epoch (another writer on this room's keys?)",
    );
    if (this.foreignEntries.size > 10_000) this.foreignEntries.clear();
    this.foreignEntries.set(feed.room, { reportedAt: now, dropped: 0 });
  }

  private markPresence(room: string): void {
    this.dirtyPresence.add(room);
  }

  /** Each node publishes its members of each room; every node sums what it hears. */
  private async publishPresence(): Promise<void> {
    const heartbeat = ++this.presenceTicks % 5 === 0;
    for (const [room, feed] of this.feeds) {
      if (!heartbeat && !this.dirtyPresence.has(room)) continue;
      const userIds = [...new Set([...feed.members.keys()].map((c) => c.userId))];
      const message = {
        node: this.deps.directory.nodeId,
        count: userIds.length,
        members: userIds.length <= this.deps.limits.presenceMembersMax ? userIds : [],
      };
      await this.deps.bus.publish(`room.presence.${room}`, JSON.stringify(message)).catch(() => undefined);
    }
    this.dirtyPresence.clear();
    if (heartbeat) await this.dropIdleFeeds();
  }

  /** A feed nobody on this node has used for a heartbeat stops listening to its room. */
  private async dropIdleFeeds(): Promise<void> {
    for (const [room, feed] of this.feeds) {
      if (feed.members.size > 0 || this.dirtyPresence.has(room)) continue;
      if (!feed.idleOnce) {
        feed.idleOnce = true;
        continue;
      }
      this.feeds.delete(room);
      this.presenceByNode.delete(room);
      await this.presenceStops.get(room)?.();
      this.presenceStops.delete(room);
      await feed.stop();
    }
  }

  private onPresence(room: string, raw: string): void {
    const message = JSON.parse(raw) as { node: string; count: number; members: string[] };
    const nodes = this.presenceByNode.get(room) ?? new Map<string, { count: number; members: string[]; atMs: number }>();
    this.presenceByNode.set(room, nodes);
    const now = this.deps.clock.nowMs();
    nodes.set(message.node, { count: message.count, members: message.members, atMs: now });
    let count = 0;
    const members = new Set<string>();
    for (const [node, info] of nodes) {
      // A node silent for three heartbeats is gone; its members with it.
      if (now - info.atMs > this.deps.limits.presenceIntervalMs * 15) {
        nodes.delete(node);
        continue;
      }
      count += info.count;
      for (const m of info.members) members.add(m);
    }
    const feed = this.feeds.get(room);
    if (feed === undefined || feed.presence.count === count) return;
    feed.presence = count <= this.deps.limits.presenceMembersMax ? { count, members: [...members] } : { count };
    const frame = textFrame(Buffer.from(JSON.stringify({ type: "presence", room, ...feed.presence })));
    for (const connection of feed.members.keys()) connection.sendFrame(frame);
  }
}
