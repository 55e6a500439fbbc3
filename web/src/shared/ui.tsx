import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { errorText } from "./session.js";

/** Runs an async action from a button or form: busy while it runs, its error shown beside it. */
export function useAction(): { busy: boolean; error: string | null; run: (action: () => Promise<unknown>) => Promise<void>; setError: (e: string | null) => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

export function ErrorLine({ error }: { error: string | null }) {
  return error === null ? null : <p class="error" role="alert">{error}</p>;
}

export function Card({ title, children, class: cls }: { title?: string; children: ComponentChildren; class?: string }) {
  return (
    <section class={`card ${cls ?? ""}`}>
      {title === undefined ? null : <h2>{title}</h2>}
      {children}
    </section>
  );
}

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** Hash routes: "#/roulette/1" → ["roulette", "1"]. */
export function useHashRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useState(() => addEventListener("hashchange", () => setHash(location.hash)));
  return hash.replace(/^#\/?/, "").split("/").filter((p) => p.length > 0).map(decodeURIComponent);
}
