// A captured stream as a lab hands it over for `croupier certify --rng-file`: a generator's words, big-endian, in a file.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Rng } from "../../src/engine/rng/rng.js";

export function captureStream(rng: Rng, words: number): string {
  const bytes = Buffer.alloc(words * 4);
  for (let i = 0; i < words; i++) bytes.writeUInt32BE(rng.nextUint32(), i * 4);
  const path = join(mkdtempSync(join(tmpdir(), "croupier-stream-")), "captured.bin");
  writeFileSync(path, bytes);
  return path;
}
