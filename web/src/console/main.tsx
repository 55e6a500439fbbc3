import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "../shared/styles.css";
import { Session, type Me } from "../shared/session.js";
import { useConnectionState, useLogin } from "../shared/hooks.js";
import { useHashRoute } from "../shared/ui.js";
import { AuthPage } from "../shared/auth-page.js";
import { Overview } from "./overview.js";
import { Tables } from "./tables.js";
import { Withdrawals } from "./withdrawals.js";
import { Deposits, Outbox } from "./payments.js";
import { Players } from "./players.js";
import { Risk } from "./risk.js";
import { Certification } from "./certification.js";
import { Bonuses } from "./bonuses.js";
import { RoundView } from "./round.js";
import { Dealer } from "./dealer.js";
import { LiveBlackjackDealer } from "./live-blackjack-dealer.js";

const session = new Session("croupier.console.refresh");
const tabNames: Record<string, string> = {
  overview: "Overview",
  tables: "Tables",
  withdrawals: "Payments",
  players: "Players",
  bonuses: "Bonuses",
  risk: "Risk",
  certification: "Certification",
  dealer: "Live roulette",
  "blackjack-dealer": "Live blackjack",
};
const staff = (me: Me) => me.roles.includes("operator") || me.roles.includes("dealer");

function App() {
  const { me, restoring, setMe } = useLogin(session);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(
    () =>
      session.onEnded((text) => {
        setNotice(text);
        setMe(null);
      }),
    [],
  );
  if (restoring)
    return (
      <main class="page">
        <p>Signing you in…</p>
      </main>
    );
  if (me === null)
    return (
      <AuthPage
        session={session}
        title="Croupier console"
        onLogin={(m) => {
          setNotice(null);
          setMe(m);
        }}
        allowRegister={false}
        notice={notice}
      />
    );
  if (!staff(me)) {
    return (
      <main class="page narrow">
        <h1>Croupier console</h1>
        <p class="error" role="alert">
          {me.username} is not an operator or dealer. Staff accounts are made with <code>croupier user create --role operator</code>.
        </p>
        <button onClick={() => session.logout().then(() => setMe(null))}>Log out</button>
      </main>
    );
  }
  return <Shell me={me} onLogout={() => session.logout().then(() => setMe(null))} />;
}

function Shell({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const operator = me.roles.includes("operator");
  const route = useHashRoute();
  const connection = useConnectionState(session.client);
  const [page = operator ? "overview" : "dealer", arg = "1"] = route;
  const tabs = operator
    ? ["overview", "tables", "withdrawals", "players", "bonuses", "risk", "certification", "dealer", "blackjack-dealer"]
    : ["dealer", "blackjack-dealer"];
  return (
    <>
      <header class="topbar">
        <a class="brand" href="#/">
          Croupier console
        </a>
        <nav aria-label="console">
          {tabs.map((t) => (
            <a key={t} href={`#/${t}`} aria-current={page === t ? "page" : undefined}>
              {tabNames[t] ?? t}
            </a>
          ))}
        </nav>
        <span class={`conn conn-${connection}`} title={`connection: ${connection}`}>
          {connection}
        </span>
        <span class="who">
          {me.username} ({me.roles.join(", ")})
        </span>
        <button class="link" onClick={onLogout}>
          Log out
        </button>
      </header>
      <main class="page">
        {operator && page === "overview" && <Overview session={session} />}
        {operator && page === "tables" && <Tables session={session} />}
        {operator && page === "withdrawals" && (
          <>
            <Withdrawals session={session} />
            <Deposits session={session} />
            <Outbox session={session} />
          </>
        )}
        {operator && page === "players" && <Players session={session} userId={route[1]} />}
        {operator && page === "bonuses" && <Bonuses session={session} />}
        {operator && page === "risk" && <Risk session={session} />}
        {operator && page === "certification" && <Certification session={session} />}
        {operator && page === "rounds" && route[1] !== undefined && <RoundView key={route[1]} session={session} roundId={route[1]} />}
        {page === "dealer" && <Dealer key={arg} session={session} tableId={arg} />}
        {page === "blackjack-dealer" && <LiveBlackjackDealer key={arg} session={session} tableId={arg} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app") as HTMLElement);
