import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { problemOf, type Problem } from "./problem.js";

/** What an error line shows: a problem from the server or the SDK, or a page's own sentence. */
export type Shown = Problem | string;

/** Runs an async action from a button or form: busy while it runs, its error shown beside it. */
export function useAction(): {
  busy: boolean;
  error: Shown | null;
  run: (action: () => Promise<unknown>) => Promise<void>;
  setError: (e: Shown | null) => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Shown | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(problemOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

/** An error: its sentence, the server's details (which limit, how much is left) in full, and the code and request id for support. */
export function ErrorLine({ error }: { error: Shown | null }) {
  if (error === null) return null;
  if (typeof error === "string")
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  return (
    <div class="error" role="alert" data-code={error.code ?? undefined}>
      <p>{error.title}</p>
      {error.details.length > 0 && (
        <ul class="details">
          {error.details.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      )}
      {error.help !== null && (
        <p>
          <a href={error.help.href}>{error.help.text}</a>
        </p>
      )}
      {error.code !== null && (
        <p class="code">
          {error.code}
          {error.requestId === null ? "" : ` · request ${error.requestId}`}
        </p>
      )}
    </div>
  );
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

/** A listing's status filter: one option per status, "" shown as "all". */
export function StatusSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (status: string) => void;
}) {
  return (
    <label class="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map((s) => (
          <option key={s} value={s}>
            {s === "" ? "all" : s}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Hash routes: "#/roulette/1" → ["roulette", "1"]. */
export function useHashRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useState(() => addEventListener("hashchange", () => setHash(location.hash)));
  return hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
}
