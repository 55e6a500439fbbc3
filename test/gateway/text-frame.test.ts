// Our one-time framing produces byte for byte the frame `ws` itself would write.
import { describe, expect, it } from "vitest";
import * as ws from "ws";
import { textFrame } from "../../src/gateway/ws/text-frame.js";

type FrameFn = (data: Buffer, options: Record<string, unknown>) => Buffer[];
const wsFrame = (ws as unknown as { Sender: { frame: FrameFn } }).Sender.frame;

describe("textFrame", () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 200_000])("matches ws for a %i-byte payload", (size) => {
    const payload = Buffer.alloc(size, 0x61);
    const expected = Buffer.concat(wsFrame(payload, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: true }));
    expect(textFrame(payload).equals(expected)).toBe(true);
  });
});
