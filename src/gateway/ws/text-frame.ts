/**
 * A complete, unmasked WebSocket text frame (RFC 6455 §5.2) around a UTF-8 payload. A broadcast is
 * framed once and the same bytes are written to every member's socket, instead of `ws` framing the
 * message again per socket. Server-to-client frames are never masked (§5.1), and compression is off,
 * so the frame is only a header and the payload.
 */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  // FIN set, opcode 1 (text).
  const first = 0x81;
  if (length < 126) return Buffer.concat([Buffer.from([first, length]), payload]);
  if (length < 65_536) {
    const header = Buffer.allocUnsafe(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return Buffer.concat([header, payload]);
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = first;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return Buffer.concat([header, payload]);
}
