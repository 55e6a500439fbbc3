import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface LedgerCheck {
  ok: boolean;
  currencies: { currency: string; debits: string; credits: string; balances: string }[];
  accountsMismatched: number;
  heldMismatched: number;
  accountsNegative: number;
  transfersMismatched: number;
}

/** Prometheus text format, the lines that carry a sample (enough for the overview; no histograms' buckets). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (m === null || line.startsWith("#")) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string;
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return samples;
}

const total = (samples: Sample[], name: string, where: (l: Record<string, string>) => boolean = () => true) =>
  samples.filter((s) => s.name === name && where(s.labels)).reduce((sum, s) => sum + s.value, 0);

/** The live overview: the numbers /metrics exposes, sampled every 2 s (rates from the difference), and the ledger check. */
export function Overview({ session }: { session: Session }) {
  const [now, setNow] = useState<Sample[]>([]);
  const [rate, setRate] = useState<{ bets: number; messages: number } | null>(null);
  const [check, setCheck] = useState<LedgerCheck | null>(null);
  const { error, run } = useAction();
  useEffect(() => {
    let previous: { at: number; bets: number; messages: number } | null = null;
    const load = () =>
      run(async () => {
        const text = await (await fetch("/metrics")).text();
        const samples = parseMetrics(text);
        const at = performance.now();
        const bets = total(samples, "croupier_bets_total");
        const messages = total(samples, "croupier_ws_messages_in_total");
        if (previous !== null) {
          const seconds = (at - previous.at) / 1000;
          setRate({ bets: (bets - previous.bets) / seconds, messages: (messages - previous.messages) / seconds });
        }
        previous = { at, bets, messages };
        setNow(samples);
      });
    void load();
    void run(async () => setCheck(await session.api<LedgerCheck>("GET", "/v1/operator/ledger/check")));
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, []);
  const errors = [...now.filter((s) => (s.name === "croupier_http_errors_total" || s.name === "croupier_ws_errors_total") && s.value > 0)].sort(
    (a, b) => b.value - a.value,
  );
  const stat = (label: string, value: string | number) => (
    <div class="stat">
      <b>{value}</b>
      <span>{label}</span>
    </div>
  );
  return (
    <>
      <Card title="Live">
        <div class="stats" data-testid="stats">
          {stat("WebSocket connections", total(now, "croupier_ws_connections"))}
          {stat("rooms hosted", total(now, "croupier_rooms"))}
          {stat("room members", total(now, "croupier_room_members"))}
          {stat("bets per second", rate === null ? "…" : rate.bets.toFixed(1))}
          {stat("messages in per second", rate === null ? "…" : rate.messages.toFixed(1))}
          {stat("bets since start", total(now, "croupier_bets_total"))}
          {stat("rounds since start", total(now, "croupier_rounds_total"))}
        </div>
        <ErrorLine error={error} />
      </Card>
      <div class="grid2">
        <Card title="Ledger check">
          {check === null ? (
            <p>Checking…</p>
          ) : (
            <div data-testid="ledger-check">
              <p class={check.ok ? "ok" : "bad"}>
                <strong>{check.ok ? "Balanced: debits = credits" : "NOT BALANCED"}</strong>
              </p>
              {check.currencies.map((c) => (
                <p key={c.currency} class="hint">
                  {c.currency}: debits {c.debits}, credits {c.credits}
                </p>
              ))}
              <p class="hint">
                mismatched accounts {check.accountsMismatched}, held {check.heldMismatched}, negative {check.accountsNegative}, transfers{" "}
                {check.transfersMismatched}
              </p>
            </div>
          )}
        </Card>
        <Card title="Errors by code">
          {errors.length === 0 ? (
            <p class="hint">No errors counted.</p>
          ) : (
            <table class="list">
              <tbody>
                {errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.labels.code ?? e.name}</td>
                    <td class="num">{e.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
