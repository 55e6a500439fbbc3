import { pathToFileURL } from "node:url";
import type { BenchResult } from "./bench-types.js";

/** True when the module was started directly (node --import tsx bench/x.bench.ts). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === moduleUrl;
}

export async function printResult(result: Promise<BenchResult>): Promise<void> {
  const r = await result;
  for (const m of r.metrics)
    console.log(
      `${r.name}  ${m.name}: ${m.value} ${m.unit}${m.target ? ` (target ${m.target}: ${m.ok ? "ok" : "MISSED"})` : ""}${m.baseline === undefined ? "" : ` baseline ${m.baseline}`}`,
    );
  for (const n of r.notes ?? []) console.log(n);
  process.exit(0);
}
