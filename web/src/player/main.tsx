import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../shared/styles.css";
import { Session, type Me } from "../shared/session.js";
import { useConnectionState, useLogin } from "../shared/hooks.js";
import { useHashRoute } from "../shared/ui.js";
import { AuthPage } from "../shared/auth-page.js";
import { Lobby } from "./lobby.js";
import { Wallet } from "./wallet.js";
import { Slots } from "./slots.js";
import { Roulette } from "./roulette.js";
import { Recall } from "./recall.js";
import { Blackjack } from "./blackjack.js";
import { Holdem } from "./holdem.js";
import { Limits } from "./limits.js";
import { BreakWithdrawal } from "./break-withdrawal.js";

const session = new Session("croupier.player.refresh");

function App() {
  const { me, restoring, setMe } = useLogin(session);
  // Why the session ended under the page (a time-out taken here, a 4003, a refused token): said on the login page.
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(
    () =>
      session.onEnded((text) => {
        setNotice(text);
        setMe(null);
      }),
    [],
  );
  const loggedIn = (m: Me) => {
    setNotice(null);
    setMe(m);
  };
  if (restoring)
    return (
      <main class="page">
        <p>Signing you in…</p>
      </main>
    );
  if (me === null) {
    return (
      <AuthPage session={session} title="Croupier casino" onLogin={loggedIn} allowRegister notice={notice}>
        <BreakWithdrawal session={session} />
      </AuthPage>
    );
  }
  return <Shell me={me} onLogout={() => session.logout().then(() => setMe(null))} />;
}

function Shell({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const route = useHashRoute();
  const connection = useConnectionState(session.client);
  const [page = "lobby", arg = "1"] = route;
  return (
    <>
      <header class="topbar">
        <a class="brand" href="#/">
          Croupier
        </a>
        <nav aria-label="main">
          <a href="#/" aria-current={page === "lobby" ? "page" : undefined}>
            Lobby
          </a>
          <a href="#/slots" aria-current={page === "slots" ? "page" : undefined}>
            Slots
          </a>
          <a href="#/wallet" aria-current={page === "wallet" ? "page" : undefined}>
            Wallet
          </a>
          <a href="#/history" aria-current={page === "history" ? "page" : undefined}>
            History
          </a>
          <a href="#/limits" aria-current={page === "limits" ? "page" : undefined}>
            Limits
          </a>
        </nav>
        <span class={`conn conn-${connection}`} data-testid="connection" title={`connection: ${connection}`}>
          {connection}
        </span>
        <span class="who">{me.username}</span>
        <button class="link" onClick={onLogout}>
          Log out
        </button>
      </header>
      <main class="page">
        {page === "lobby" && <Lobby session={session} />}
        {page === "wallet" && <Wallet session={session} />}
        {page === "slots" && <Slots session={session} />}
        {(page === "roulette" || page === "live") && <Roulette key={`${page}:${arg}`} session={session} room={`${page}:${arg}`} />}
        {(page === "blackjack" || page === "liveblackjack") && <Blackjack key={`${page}:${arg}`} session={session} room={`${page}:${arg}`} />}
        {page === "holdem" && <Holdem key={arg} session={session} room={`holdem:${arg}`} />}
        {page === "history" && <Recall session={session} roundId={route[1]} />}
        {page === "limits" && <Limits session={session} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app") as HTMLElement);
