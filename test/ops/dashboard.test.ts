// The Grafana dashboard and the Prometheus config shipped in ops/ refer only to metrics a node serves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { ifAssigned } from "../support/fixtures.js";

const dashboard = JSON.parse(readFileSync(new URL("../../ops/grafana/croupier-dashboard.json", import.meta.url), "utf8")) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
};

describe("ops/grafana dashboard", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("uses only metric names that /metrics declares", async () => {
    const text = await fetch(`${server.url}/metrics`).then((r) => r.text());
    const declared = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1] as string));
    const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/croupier_[a-z0-9_]+/g)].map((m) => m[0]))));
    expect(used.size).toBeGreaterThan(15);
    const missing = [...used].map((name) => name.replace(/_(bucket|count|sum)$/, "")).filter((name) => !declared.has(name));
    expect(missing).toEqual([]);
  });
});
