import { useState } from "preact/hooks";
import { checkRound, type RecalledRoundJson, type RoundCheck } from "croupier/engine";
import type { SeedPairView, SeedRotation } from "croupier/client";

interface Verification {
  scheme?: string;
  provablyFair?: boolean;
  note?: string;
  serverSeedHash?: string;
  serverSeed?: string | null;
  clientSeed?: string;
  nonce?: number;
  chain?: { id: number; commitment: string; index: number; length: number };
}

/** A hex digest, shortened for the eye, whole in the title and when selected (copy works on the full text). */
function Hex({ value, testId }: { value: string; testId?: string }) {
  return (
    <code class="hex" title={value} data-testid={testId}>
      {value}
    </code>
  );
}

/**
 * A recalled round's fairness: the commitment shown before play, the revealed server seed, the client
 * seed and nonce, the shared tables' chain, and "verify in this browser" — the engine's own
 * `checkRound`, the code `croupier verify` runs, recomputing the outcome here from those values alone.
 */
export function RoundFairness({ round }: { round: Omit<RecalledRoundJson, "verification"> & { verification: unknown } }) {
  const [check, setCheck] = useState<RoundCheck | null>(null);
  const v = (round.verification as Verification | null | undefined) ?? null;
  if (v === null || v.provablyFair !== true) {
    return (
      <p class="hint" data-testid="fairness">
        Not provably fair: {v?.note ?? "this round has no verification data"}.
      </p>
    );
  }
  return (
    <div class="fairness" data-testid="fairness">
      <dl class="facts">
        <dt>Scheme</dt>
        <dd>{v.scheme}</dd>
        <dt>Commitment (SHA-256 of the server seed, shown before the round)</dt>
        <dd>
          <Hex value={v.serverSeedHash ?? ""} />
        </dd>
        <dt>Server seed</dt>
        <dd>
          {typeof v.serverSeed === "string" ? (
            <Hex value={v.serverSeed} testId="server-seed" />
          ) : (
            <span class="hint">not revealed yet{round.game === "slots" ? ": rotate your seed pair on the machine to reveal it" : ""}</span>
          )}
        </dd>
        <dt>Client seed</dt>
        <dd>
          <code>{v.clientSeed}</code>
        </dd>
        <dt>Nonce</dt>
        <dd>{v.nonce}</dd>
        {v.chain !== undefined && (
          <>
            <dt>Chain</dt>
            <dd>
              #{v.chain.id}, seed {v.chain.index} of {v.chain.length}, published commitment <Hex value={v.chain.commitment} />
            </dd>
          </>
        )}
      </dl>
      <button onClick={() => setCheck(checkRound(round as RecalledRoundJson))} disabled={typeof v.serverSeed !== "string"} data-testid="verify">
        Verify in this browser
      </button>
      {check !== null && (
        <div class={`verdict verdict-${check.verdict.toLowerCase()}`} role="status" data-testid="verdict" data-verdict={check.verdict}>
          <p>
            <strong>
              {check.verdict === "MATCHES"
                ? "✔ Matches: recomputed here, the outcome is the one recorded"
                : check.verdict === "MISMATCH"
                  ? "✘ Mismatch"
                  : "Not verifiable"}
            </strong>
          </p>
          <pre class="json">{check.lines.join("\n")}</pre>
        </div>
      )}
      <p class="hint">The check runs in your browser with the algorithm of docs/FAIRNESS.md; nothing is asked of the server but the recorded round.</p>
    </div>
  );
}

/**
 * The seed pair of the player's slot machine: the commitment for the next spins, the client seed (the
 * player's to set), the next nonce, and rotation, which reveals the retired server seed so every spin
 * it served can be verified from game recall.
 */
export function SeedPair({
  pair,
  rotated,
  onSetClientSeed,
  onRotate,
  busy,
}: {
  pair: SeedPairView | null;
  rotated: SeedRotation | null;
  busy: boolean;
  onSetClientSeed: (clientSeed: string) => void;
  onRotate: () => void;
}) {
  const [draft, setDraft] = useState("");
  if (pair === null) return <p class="hint">The machine commits its seed pair when you join.</p>;
  return (
    <div class="fairness" data-testid="seed-pair">
      <dl class="facts">
        <dt>Commitment for your next spins</dt>
        <dd>
          <Hex value={pair.serverSeedHash} testId="commitment" />
        </dd>
        <dt>Client seed</dt>
        <dd>
          <code data-testid="client-seed">{pair.clientSeed}</code>
        </dd>
        <dt>Next nonce</dt>
        <dd data-testid="nonce">{pair.nonce}</dd>
      </dl>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim() !== "") onSetClientSeed(draft.trim());
        }}
      >
        <label class="field">
          <span>Your client seed</span>
          <input value={draft} maxLength={64} onInput={(e) => setDraft(e.currentTarget.value)} placeholder="any text" data-testid="client-seed-input" />
        </label>
        <button type="submit" disabled={busy}>
          Set
        </button>
        <button type="button" onClick={onRotate} disabled={busy} data-testid="rotate">
          Rotate and reveal
        </button>
      </form>
      {rotated !== null && (
        <p class="hint" data-testid="revealed">
          Revealed server seed of the retired pair ({rotated.revealed.nonce} spins): <Hex value={rotated.revealed.serverSeed} /> — open a spin in{" "}
          <a href="#/history">History</a> to verify it.
        </p>
      )}
    </div>
  );
}
