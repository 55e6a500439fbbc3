import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { Me, Session } from "./session.js";
import { Card, ErrorLine, Field, useAction } from "./ui.js";

/** Log in (and, on the player site, register). */
export function AuthPage({
  session,
  title,
  onLogin,
  allowRegister,
  notice,
  children,
}: {
  session: Session;
  title: string;
  onLogin: (me: Me) => void;
  allowRegister: boolean;
  /** Why the last session ended (a time-out, a revoked session), shown above the form. */
  notice?: string | null;
  children?: ComponentChildren;
}) {
  const [mode, setMode] = useState<"login" | "register">("login");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => onLogin(mode === "login" ? await session.login(username, password) : await session.register(username, password)));
  };
  return (
    <main class="page narrow">
      <h1>{title}</h1>
      {notice != null && (
        <p class="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      <Card title={mode === "login" ? "Log in" : "Create an account"}>
        <form onSubmit={submit}>
          <Field label="Username">
            <input name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
          </Field>
          <Field label="Password">
            <input
              name="password"
              type="password"
              autocomplete={mode === "login" ? "current-password" : "new-password"}
              required
              minLength={10}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </Field>
          {mode === "register" && <p class="hint">At least 10 characters, not containing your username.</p>}
          <button type="submit" class="primary" disabled={busy}>
            {mode === "login" ? "Log in" : "Register"}
          </button>
          <ErrorLine error={error} />
        </form>
        {allowRegister && (
          <p class="switch">
            {mode === "login" ? "New here? " : "Have an account? "}
            <button class="link" type="button" onClick={() => setMode(mode === "login" ? "register" : "login")}>
              {mode === "login" ? "Create an account" : "Log in"}
            </button>
          </p>
        )}
      </Card>
      {children}
    </main>
  );
}
