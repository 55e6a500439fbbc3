// Background work: a failure is counted and reported, never an unhandled rejection.
import { afterEach, describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import { background, backgroundFailures, onBackgroundFailure } from "../../src/app/background.js";
import { createPromMetrics } from "../../src/adapters/prometheus/metrics.prom.js";

describe("background", () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  afterEach(() => {
    unhandled.length = 0;
  });

  it("counts a failed task by name, tells every listener, and leaves nothing unhandled", async () => {
    const seen: Array<[string, unknown]> = [];
    const stop = onBackgroundFailure((task, error) => seen.push([task, error]));
    const before = backgroundFailures().get("test.fails") ?? 0;
    const boom = new Error("redis went away");
    background(Promise.reject(boom), "test.fails");
    background(Promise.resolve("fine"), "test.succeeds");
    await new Promise((r) => setTimeout(r, 10));
    stop();
    expect(seen).toEqual([["test.fails", boom]]);
    expect(backgroundFailures().get("test.fails")).toBe(before + 1);
    expect(backgroundFailures().has("test.succeeds")).toBe(false);
    expect(unhandled).toEqual([]);
  });

  it("survives a listener that throws", async () => {
    const stop = onBackgroundFailure(() => {
      throw new Error("log stream closed");
    });
    background(Promise.reject(new Error("x")), "test.listener");
    await new Promise((r) => setTimeout(r, 10));
    stop();
    expect(unhandled).toEqual([]);
  });

  it("is served as croupier_background_failures_total by the metrics it is handed to (as main.ts does)", async () => {
    background(Promise.reject(new Error("x")), "test.served");
    await new Promise((r) => setTimeout(r, 10));
    const registry = new Registry();
    createPromMetrics(registry, backgroundFailures);
    expect(await registry.metrics()).toContain('croupier_background_failures_total{task="test.served"} 1');
  });
});
