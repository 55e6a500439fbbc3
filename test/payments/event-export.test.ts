// Payment events exported to NATS JetStream through the payments outbox, with a real server: each
// deposit is exported once (its webhook comes three times), as the documented schema says; with the
// stream unreachable deposits are still credited, and the events wait in the outbox (its metric).
import { afterAll, describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { natsUrl, serviceAvailable, uniqueName } from "../support/services.js";
import { depositBySandbox } from "../support/money.js";
import { streamMessages } from "../support/event-stream.js";
import { newPlayer } from "../support/ws-client.js";
import { PaymentExportEvent } from "../../src/protocol/events.schemas.js";
import type { RunningServer } from "../../src/main.js";

describe.skipIf(!serviceAvailable("nats"))("payment events exported to JetStream (real server)", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function start(flags: string[]): Promise<{ server: RunningServer; shared: Shared }> {
    const shared = await createShared("embedded");
    const server = await startTestServer(shared, ["--payments-sandbox-webhook-delay-ms", "100", "--outbox-poll-interval-ms", "100", ...flags]);
    cleanups.push(async () => {
      await server.close();
      await shared.dispose();
    });
    return { server, shared };
  }

  it("exports each credited deposit once, on <prefix>.deposit.credited, matching the documented schema", async () => {
    const stream = uniqueName("pay_events").replace(/[^A-Za-z0-9_-]/g, "_");
    const prefix = `croupier_test.${stream}`;
    const { server } = await start(["--event-export-url", natsUrl, "--event-export-stream", stream, "--event-export-subject-prefix", prefix]);
    const player = await newPlayer(server.url);
    await depositBySandbox(server.url, player.token, "25.00");
    await depositBySandbox(server.url, player.token, "5.00");
    // The sandbox sends each outcome again at 3x the delay: let the repeats arrive.
    await new Promise((r) => setTimeout(r, 600));
    const messages = (await streamMessages(stream)).filter((m) => (m.body as { userId: string }).userId === player.userId);
    expect(messages.map((m) => [m.subject, (m.body as { amount: string }).amount])).toEqual([
      [`${prefix}.deposit.credited`, "25.00"],
      [`${prefix}.deposit.credited`, "5.00"],
    ]);
    for (const m of messages) {
      expect(Value.Check(PaymentExportEvent, m.body), JSON.stringify(m.body)).toBe(true);
      expect(m.id).toBe((m.body as { id: string }).id);
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^croupier_outbox_entries\{state="waiting"\} 0$/m);
  });

  it("credits deposits while the stream is unreachable; their events wait in the outbox", async () => {
    const { server } = await start(["--event-export-url", "nats://127.0.0.1:1", "--event-export-timeout-ms", "200"]);
    const player = await newPlayer(server.url);
    await depositBySandbox(server.url, player.token, "10.00");
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^croupier_outbox_entries\{state="waiting"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });
});
