import { useEffect, useState } from "preact/hooks";
import { newId, type Session } from "../shared/session.js";
import { BonusTable, type Bonus } from "../shared/bonuses.js";
import { Card, ErrorLine, Field, useAction } from "../shared/ui.js";

/** A player's bonuses in the console: grant one (idempotent, audited), cancel an active one with a reason (docs/BONUSES.md). */
export function PlayerBonuses({ session, userId }: { session: Session; userId: string }) {
  const [bonuses, setBonuses] = useState<Bonus[] | null>(null);
  const [grant, setGrant] = useState({ amount: "10.00", wageringMultiplier: "35", maxBet: "5.00", days: "30", reason: "" });
  const [cancelReason, setCancelReason] = useState("");
  const { busy, error, run } = useAction();
  const base = `/v1/operator/players/${encodeURIComponent(userId)}/bonuses`;
  const load = async () => setBonuses((await session.api<{ bonuses: Bonus[] }>("GET", base)).bonuses);
  useEffect(() => {
    void run(load);
  }, [userId]);
  const give = () =>
    run(async () => {
      await session.api(
        "POST",
        base,
        {
          amount: grant.amount,
          currency: "EUR",
          wageringMultiplier: Number(grant.wageringMultiplier),
          maxBet: grant.maxBet,
          days: Number(grant.days),
          reason: grant.reason,
        },
        newId(),
      );
      setGrant({ ...grant, reason: "" });
      await load();
    });
  const cancel = (id: string) =>
    run(async () => {
      await session.api("POST", `/v1/operator/bonuses/${encodeURIComponent(id)}/cancel`, { reason: cancelReason });
      setCancelReason("");
      await load();
    });
  const field = (key: keyof typeof grant) => (e: { currentTarget: HTMLInputElement }) => setGrant({ ...grant, [key]: e.currentTarget.value });
  return (
    <Card title="Bonuses" class="wide">
      {bonuses === null ? (
        <p>Loading…</p>
      ) : bonuses.length === 0 ? (
        <p class="hint" data-testid="no-bonuses">
          No bonus.
        </p>
      ) : (
        <BonusTable
          bonuses={bonuses}
          testId="player-bonuses"
          action={(b) =>
            b.status === "active" ? (
              <button class="danger" disabled={busy || cancelReason.trim() === ""} onClick={() => cancel(b.id)}>
                Cancel
              </button>
            ) : null
          }
        />
      )}
      {bonuses?.some((b) => b.status === "active") === true && (
        <Field label="Reason to cancel">
          <input value={cancelReason} onInput={(e) => setCancelReason(e.currentTarget.value)} />
        </Field>
      )}
      <form
        data-testid="bonus-grant"
        onSubmit={(e) => {
          e.preventDefault();
          void give();
        }}
      >
        <div class="row pair">
          <Field label="Amount (EUR)">
            <input value={grant.amount} onInput={field("amount")} inputMode="decimal" />
          </Field>
          <Field label="Wagering (× the bonus)">
            <input value={grant.wageringMultiplier} onInput={field("wageringMultiplier")} inputMode="numeric" />
          </Field>
        </div>
        <div class="row pair">
          <Field label="Max bet (EUR)">
            <input value={grant.maxBet} onInput={field("maxBet")} inputMode="decimal" />
          </Field>
          <Field label="Days">
            <input value={grant.days} onInput={field("days")} inputMode="numeric" />
          </Field>
        </div>
        <Field label="Reason (kept in the audit log)">
          <input value={grant.reason} onInput={field("reason")} required />
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Grant bonus
        </button>
      </form>
      <ErrorLine error={error} />
    </Card>
  );
}
