/**
 * WebSocket close codes Croupier uses. 1000–1015 are RFC 6455's; 4000–4999 are ours and stable.
 * docs/PROTOCOL.md lists them and says what a client should do for each.
 */
export const closeCodes = {
  normal: { code: 1000, reason: "bye", reconnect: false },
  goingAway: { code: 1001, reason: "server shutting down", reconnect: true },
  unsupportedData: { code: 1003, reason: "binary frames are not accepted", reconnect: false },
  messageTooBig: { code: 1009, reason: "frame exceeds frameBytesMax", reconnect: true },
  authFailed: { code: 4001, reason: "authentication failed", reconnect: false },
  tokenExpired: { code: 4002, reason: "access token expired", reconnect: true },
  sessionRevoked: { code: 4003, reason: "session revoked", reconnect: false },
  authTimeout: { code: 4004, reason: "no hello within authTimeoutMs", reconnect: true },
  slowConsumer: { code: 4008, reason: "send queue exceeded sendQueueBytesMax", reconnect: true },
  flood: { code: 4009, reason: "frame rate far above messagesPerSecondMax", reconnect: true },
  protocolViolation: { code: 4010, reason: "too many invalid frames", reconnect: false },
  crowded: { code: 4011, reason: "too many sockets waiting to authenticate", reconnect: true },
} as const;

export type CloseName = keyof typeof closeCodes;
