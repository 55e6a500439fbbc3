// The player site and the operator console in Chromium, against a real `croupier serve` process in
// embedded mode: a player registers, deposits with a sandbox card, spins the slot; two browsers play one
// roulette round and see the result at the same moment by their synced clocks; an operator approves a
// withdrawal and voids a round. Screenshots of each page go to docs/screenshots/.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startCuttableProxy } from "../support/cuttable-proxy.js";
import { fastHashFlags, runCroupier, serveCroupier, type ServingProcess } from "../support/process.js";
import { ensureWebBuilt, launchChromium, login, openPage, register, screenshots, type WatchedPage } from "./browser.js";
import { ifAssigned } from "../support/fixtures.js";

const password = "correct horse battery";
/** The declared video delay of the live tables: results and cues reach the pages this much after the dealer acts. */
const liveLatencyMs = 1500;
let dataDir: string;
let server: ServingProcess;
let browser: Browser;
const pages: WatchedPage[] = [];
let seq = 0;
const uniqueUser = (prefix: string) => `${prefix}${Date.now().toString(36)}${++seq}`;

async function open(path: string, base = server.url): Promise<WatchedPage> {
  const watched = await openPage(browser, base + path);
  pages.push(watched);
  return watched;
}

async function playerWithMoney(base = server.url): Promise<{ watched: WatchedPage; username: string }> {
  const watched = await open("/", base);
  const username = uniqueUser("p");
  await register(watched.page, username);
  await deposit(watched.page, "100.00");
  return { watched, username };
}

async function deposit(page: Page, amount: string): Promise<void> {
  await page.getByRole("link", { name: "Wallet" }).click();
  const form = page.getByTestId("deposit");
  await form.getByLabel("Amount (EUR)").fill(amount);
  await form.getByRole("button", { name: "Deposit" }).click();
  await expect.poll(() => page.getByTestId("deposit-status").textContent(), { timeout: 15_000 }).toContain("credited");
}

beforeAll(async () => {
  ensureWebBuilt();
  dataDir = mkdtempSync(join(tmpdir(), "croupier-web-"));
  const created = await runCroupier(
    ["user", "create", "--username", "boss", "--role", "operator", "--password-stdin", "--data-dir", dataDir, ...fastHashFlags],
    { stdin: `${password}\n` },
  );
  expect(created.code, created.stderr).toBe(0);
  server = await serveCroupier(
    [
      "--data-dir",
      dataDir,
      "--log-level",
      "warn",
      "--roulette-betting-ms",
      "4000",
      "--roulette-results-ms",
      "1500",
      "--payments-sandbox-webhook-delay-ms",
      "20",
      "--blackjack-betting-ms",
      "3000",
      "--blackjack-turn-ms",
      "3000",
      "--holdem-between-hands-ms",
      "10000",
      "--live-blackjack-betting-ms",
      "3000",
      "--live-stream-latency-ms",
      String(liveLatencyMs),
    ],
    {},
    240_000,
  );
  browser = await launchChromium();
}, 480_000); // two processes start one after the other (PGlite is one process's at a time); slow on a busy machine

afterAll(async () => {
  await ifAssigned(browser)?.close();
  await ifAssigned(server)?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("player site", () => {
  it("serves the pages with a strict Content-Security-Policy and cacheable hashed assets", async () => {
    const page = await fetch(server.url + "/");
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(server.url + asset!);
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(server.url + "/console")).status).toBe(200);
  });

  it("a player registers, deposits with a sandbox card, spins the slot, and stays logged in after a reload", async () => {
    const { page, errors } = await open("/");
    await screenshots(page, "login");
    const username = uniqueUser("p");
    await register(page, username);
    await page.getByTestId("jackpot").first().waitFor();
    await expect.poll(() => page.getByTestId("tables").textContent()).toContain("Roulette 1");
    await screenshots(page, "lobby");

    await deposit(page, "100.00");
    await expect.poll(() => page.getByTestId("balance").textContent()).toContain("100.00");
    // The welcome bonus: claimed once, shown with its wagering progress.
    await page.getByRole("button", { name: "Claim your welcome bonus" }).click();
    await expect.poll(() => page.getByTestId("bonuses").textContent(), { timeout: 10_000 }).toContain("10.00 EUR · welcome");
    expect(await page.getByTestId("bonuses").textContent()).toContain("0.00 of 350.00 (0 %)");
    expect(await page.getByRole("button", { name: "Claim your welcome bonus" }).count()).toBe(0);
    await screenshots(page, "wallet");

    await page.getByRole("link", { name: "Slots" }).click();
    await page.getByLabel("Stake (EUR)").selectOption("1.00");
    await page.getByTestId("spin").click();
    await page.getByTestId("spin-result").waitFor();
    expect(await page.locator(".sym").count()).toBe(15);
    await screenshots(page, "slots");

    // The refresh token survives a reload (rotated by the refresh), and the spin is in the wallet history.
    await page.reload();
    await page.getByRole("link", { name: "Wallet" }).click();
    await expect.poll(() => page.getByTestId("history").textContent()).toContain("deposit");
    expect(await page.locator(".who").textContent()).toBe(username);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    expect(errors).toEqual([]);
  });
});

describe("fairness", () => {
  it("a player sets a client seed, spins, rotates the pair, and verifies the spin in the browser from game recall", async () => {
    const { watched } = await playerWithMoney();
    const { page, errors } = watched;
    await page.getByRole("link", { name: "Slots" }).click();
    const commitment = await page.getByTestId("commitment").getAttribute("title");
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);
    await page.getByTestId("client-seed-input").fill("lucky-7");
    await page.getByRole("button", { name: "Set", exact: true }).click();
    await expect.poll(() => page.getByTestId("client-seed").textContent()).toBe("lucky-7");
    expect(await page.getByTestId("nonce").textContent()).toBe("0");
    await page.getByTestId("spin").click();
    await page.getByTestId("spin-result").waitFor();
    await expect.poll(() => page.getByTestId("nonce").textContent()).toBe("1");

    // Before rotation the spin's server seed is secret: recall shows the commitment and cannot verify yet.
    const spinHref = await page.getByTestId("last-spin").getAttribute("href");
    await page.getByTestId("rotate").click();
    await page.getByTestId("revealed").waitFor();
    expect(await page.getByTestId("nonce").textContent()).toBe("0");
    expect(await page.getByTestId("commitment").getAttribute("title")).not.toBe(commitment);
    await screenshots(page, "slots-fairness");

    await page.goto(`${server.url}/${spinHref ?? ""}`);
    await page.getByTestId("server-seed").waitFor();
    await page.getByTestId("verify").click();
    await expect.poll(() => page.getByTestId("verdict").getAttribute("data-verdict")).toBe("MATCHES");
    expect(await page.getByTestId("verdict").textContent()).toContain("client seed: lucky-7, nonce: 0");
    await screenshots(page, "round-verified");
    expect(errors).toEqual([]);
  });
});

/** Waits for a betting phase with at least `secondsMin` left on the page's countdown. */
async function untilBetting(page: Page, secondsMin: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const text = await page
          .getByTestId("countdown")
          .textContent({ timeout: 100 })
          .catch(() => null);
        return text === null ? 0 : Number(/\d+/.exec(text)?.[0] ?? 0);
      },
      { timeout: 30_000, interval: 50 },
    )
    .toBeGreaterThanOrEqual(secondsMin);
}

describe("roulette", () => {
  it("two players bet in one round and both see the result at the same moment by their synced clocks", async () => {
    const [a, b] = await Promise.all([playerWithMoney(), playerWithMoney()]);
    for (const { watched } of [a, b]) await watched.page.goto(`${server.url}/#/roulette/1`);
    await untilBetting(a.watched.page, 3);
    const pa = a.watched.page;
    const pb = b.watched.page;
    await pa.getByRole("radio", { name: "5.00", exact: true }).click();
    await pa.getByRole("button", { name: "Red", exact: true }).click();
    await pa.getByTestId("place").click();
    await pb.getByRole("button", { name: "17", exact: true }).click();
    await pb.getByRole("radio", { name: "Split" }).click();
    await pb.getByRole("button", { name: "20", exact: true }).click();
    await pb.getByRole("button", { name: "23", exact: true }).click();
    await pb.getByTestId("place").click();
    await pa.getByTestId("placed").waitFor();
    await pb.getByTestId("placed").waitFor();
    expect(await pb.getByTestId("placed").textContent()).toContain("2.00 EUR on 2 bet(s)");

    const results = await Promise.all(
      [pa, pb].map(async (page) => {
        const result = page.getByTestId("result");
        await result.waitFor({ timeout: 15_000 });
        return {
          round: await result.getAttribute("data-round"),
          number: await result.getAttribute("data-number"),
          at: Number(await result.getAttribute("data-revealed-at")),
        };
      }),
    );
    const [ra, rb] = results as [(typeof results)[0], (typeof results)[0]];
    expect(ra.round).toBe(rb.round);
    expect(ra.number).toBe(rb.number);
    expect(Math.abs(ra.at - rb.at)).toBeLessThan(50);
    for (const page of [pa, pb]) await page.getByTestId("payout").waitFor({ timeout: 10_000 });
    await screenshots(pa, "roulette");

    // The round's seed is revealed with its result: recomputed in the browser, it gives the same pocket.
    await pb.goto(`${server.url}/#/history/${encodeURIComponent(ra.round ?? "")}`);
    await pb.getByTestId("verify").click();
    await expect.poll(() => pb.getByTestId("verdict").getAttribute("data-verdict")).toBe("MATCHES");
    expect(await pb.getByTestId("verdict").textContent()).toContain(`winning pocket: recorded ${ra.number}, recomputed ${ra.number}`);
    for (const { watched } of [a, b]) expect(watched.errors).toEqual([]);
  });

  it("a player whose network drops mid-round comes back to the table exactly where it is for everyone else", async () => {
    // Player A reaches the server through a link the test cuts (a browser's offline mode keeps open sockets).
    const link = await startCuttableProxy({ host: "127.0.0.1", port: Number(new URL(server.url).port) });
    onTestFinished(() => link.close());
    const [a, b] = await Promise.all([playerWithMoney(link.url), playerWithMoney()]);
    await a.watched.page.goto(`${link.url}/#/roulette/1`);
    await b.watched.page.goto(`${server.url}/#/roulette/1`);
    await untilBetting(a.watched.page, 3);
    const pa = a.watched.page;
    const pb = b.watched.page;
    await pa.getByRole("radio", { name: "5.00", exact: true }).click();
    await pa.getByRole("button", { name: "Black", exact: true }).click();
    await pa.getByTestId("place").click();
    await pa.getByTestId("placed").waitFor();

    // Offline through the close of betting and the result: the socket drops, reconnecting fails meanwhile.
    link.cut();
    await expect.poll(() => pa.locator(".conn").textContent(), { timeout: 15_000 }).not.toBe("open");
    const seen = pb.getByTestId("result");
    await seen.waitFor({ timeout: 15_000 });
    const round = await seen.getAttribute("data-round");
    const number = await seen.getAttribute("data-number");
    link.restore();
    await expect.poll(() => pa.locator(".conn").textContent(), { timeout: 20_000 }).toBe("open");
    // Back: the same table as the other player's, result for result (a later round may have begun meanwhile).
    const shownOn = async (page: Page) =>
      `${await page
        .getByTestId("result")
        .getAttribute("data-round", { timeout: 1000 })
        .catch(() => null)}:${await page
        .getByTestId("result")
        .getAttribute("data-number", { timeout: 1000 })
        .catch(() => null)}`;
    await expect
      .poll(
        async () => {
          const [x, y] = await Promise.all([shownOn(pa), shownOn(pb)]);
          return x === y ? x : "differs";
        },
        { timeout: 15_000 },
      )
      .not.toBe("differs");
    // ... and the bet placed before the drop was settled in the round it was placed in.
    await pa.goto(`${link.url}/#/history/${encodeURIComponent(round ?? "")}`);
    await expect.poll(() => pa.getByTestId("rounds").textContent(), { timeout: 10_000 }).toContain(`${number}`);
    expect(await pa.getByTestId("rounds").textContent()).toContain("5.00");
    expect(a.watched.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(e))).toEqual([]);
    expect(b.watched.errors).toEqual([]);
  });
});

describe("operator console", () => {
  it("an operator sees the certification runs in the data folder, with each game's verdict, and saves a run's report", async () => {
    const operator = await open("/console");
    const op = operator.page;
    await login(op, "boss");
    await op.getByRole("link", { name: "Certification" }).click();
    await op.getByTestId("no-reports").waitFor();
    // A real run of `croupier certify`, written where the console looks (dataDir/certification).
    const certified = await runCroupier([
      "certify",
      "--game",
      "roulette",
      "--rounds",
      "20000",
      "--seed",
      "console",
      "--workers",
      "1",
      "--out",
      join(dataDir, "certification", "roulette-1"),
    ]);
    expect(certified.code, certified.stderr).toBe(0);
    await op.reload();
    const row = op.locator("[data-testid=reports] tr[data-id='roulette-1']");
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain("roulette: 20,000");
    expect(await row.getByTestId("verdict").textContent()).toContain("passed");
    await screenshots(op, "console-certification");
    const download = op.waitForEvent("download");
    await row.getByRole("button", { name: "Save report" }).click();
    const saved = await (await download).path();
    expect(readFileSync(saved, "utf8")).toContain('Croupier certification report — <span class="ok">PASSED</span>');
    expect(operator.errors).toEqual([]);
  });

  it("an operator reviews every active bonus on the Bonuses page, each linked to its player", async () => {
    const { watched, username } = await playerWithMoney();
    await watched.page.getByRole("button", { name: "Claim your welcome bonus" }).click();
    await expect.poll(() => watched.page.getByTestId("bonuses").textContent(), { timeout: 10_000 }).toContain("10.00 EUR · welcome");
    expect(await watched.page.locator(".who").textContent()).toBe(username);
    const operator = await open("/console");
    const op = operator.page;
    await login(op, "boss");
    await op.getByRole("link", { name: "Bonuses" }).click();
    const rows = op.locator("[data-testid=all-bonuses] tr[data-status=active]");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await op.getByTestId("all-bonuses").textContent()).toContain("10.00 EUR · welcome");
    await screenshots(op, "console-bonuses");
    await op.getByRole("combobox", { name: /^Bonus status/ }).selectOption("converted");
    await expect.poll(() => op.locator("[data-testid=all-bonuses] tr[data-status=active]").count()).toBe(0);
    expect([...watched.errors, ...operator.errors]).toEqual([]);
  });

  it("an operator approves a player's withdrawal and voids a roulette round the player bet in", async () => {
    const { watched: player } = await playerWithMoney();
    const pp = player.page;
    const withdraw = pp.getByTestId("withdrawal");
    await withdraw.getByLabel("Amount (EUR)").fill("30.00");
    await withdraw.getByRole("button", { name: "Request withdrawal" }).click();
    await expect.poll(() => pp.getByTestId("withdrawal-status").textContent(), { timeout: 20_000 }).toContain("pending");

    const operator = await open("/console");
    const op = operator.page;
    await screenshots(op, "console-login");
    await login(op, "boss");
    await op.getByTestId("ledger-check").waitFor();
    await expect.poll(() => op.getByTestId("ledger-check").textContent(), { timeout: 20_000 }).toContain("debits = credits");
    await screenshots(op, "console-overview");

    await op.getByRole("link", { name: "Payments" }).click();
    const row = op.locator("[data-testid=withdrawals] tr", { hasText: "30.00 EUR" }).first();
    await row.getByRole("button", { name: "Approve" }).waitFor();
    await screenshots(op, "console-withdrawals");
    await row.getByRole("button", { name: "Approve" }).click();
    await op.getByRole("combobox", { name: /^Status/ }).selectOption("paid");
    await expect.poll(() => op.locator("[data-testid=withdrawals]").textContent(), { timeout: 20_000 }).toContain("30.00 EUR");
    // The player's deposit is in the deposits list; nothing is parked in the outbox.
    await expect.poll(() => op.locator("[data-testid=deposits]").textContent(), { timeout: 10_000 }).toContain("100.00 EUR");
    expect(await op.getByTestId("outbox").textContent()).not.toContain("withdrawal.payout");
    await pp.reload();
    await pp.getByRole("link", { name: "Wallet" }).click();
    await expect.poll(() => pp.getByTestId("balance").textContent(), { timeout: 20_000 }).toContain("70.00");

    // The player bets at roulette 2; the operator voids the round with a reason; the player is refunded.
    await pp.goto(`${server.url}/#/roulette/2`);
    await untilBetting(pp, 3);
    await pp.getByRole("button", { name: "Black", exact: true }).click();
    await pp.getByTestId("place").click();
    await pp.getByTestId("placed").waitFor();
    await op.getByRole("link", { name: "Tables" }).click();
    const table = op.locator("tr[data-room='roulette:2']");
    const voided = await table.getByRole("link", { name: /:/ }).textContent();
    await table.getByPlaceholder("void reason").fill("wheel fault");
    await table.getByRole("button", { name: "Void round" }).click();
    await expect.poll(() => pp.locator(".table-status").textContent(), { timeout: 10_000 }).toContain("round voided: wheel fault");
    await expect.poll(() => pp.locator(".card", { hasText: "This round" }).textContent()).toContain("Refunded 1.00 EUR");
    await screenshots(op, "console-tables");
    // The round as game recall holds it, every bet in it (the table's link; the table may be on its next round by now).
    expect(voided).toMatch(/^\d+:\d+:/);
    await op.goto(`${server.url}/console#/rounds/${encodeURIComponent(voided ?? "")}`);
    await expect.poll(() => op.getByTestId("round-status").textContent(), { timeout: 10_000 }).toContain("voided: wheel fault");
    expect(await op.getByTestId("round-bets").textContent()).toContain("1.00 EUR");
    await screenshots(op, "console-round");

    // The operator runs a live round from the dealer view: open betting, a cue, close, enter the number.
    await op.getByRole("link", { name: "Live roulette", exact: true }).click();
    await expect.poll(() => op.getByTestId("dealer-phase").textContent(), { timeout: 10_000 }).toBe("waiting");
    await op.getByRole("button", { name: "Open betting" }).click();
    await expect.poll(() => op.getByTestId("dealer-phase").textContent(), { timeout: 10_000 }).toBe("betting");
    await op.getByRole("button", { name: "no more bets" }).click();
    await op.getByRole("button", { name: "Close betting" }).click();
    await expect.poll(() => op.getByTestId("dealer-phase").textContent(), { timeout: 10_000 }).toBe("closed");
    await op.getByLabel("result number").fill("17");
    await op.getByRole("button", { name: "Enter result" }).click();
    await expect.poll(() => op.getByTestId("dealer-result").textContent(), { timeout: 10_000 }).toBe("17");
    await screenshots(op, "console-dealer");
    expect(player.errors).toEqual([]);
    expect(operator.errors).toEqual([]);
  });
});

describe("blackjack", () => {
  it("a player sits, bets and plays a hand that a second browser watches card for card", async () => {
    const [{ watched: player }, { watched: watcher }] = await Promise.all([playerWithMoney(), playerWithMoney()]);
    const pp = player.page;
    const pw = watcher.page;
    await pp.goto(`${server.url}/#/blackjack/2`);
    await pw.goto(`${server.url}/#/blackjack/2`);
    await pp.getByRole("button", { name: "Sit here" }).first().click();
    await untilBetting(pp, 1);
    await pp.getByRole("button", { name: "Bet", exact: true }).click();
    // Stand when the turn comes (or let the turn timer stand); the round is paid either way.
    const stand = pp.getByRole("button", { name: "Stand" });
    await expect.poll(async () => (await pp.getByTestId("bj-return").count()) > 0 || (await stand.isEnabled()), { timeout: 20_000 }).toBe(true);
    if (await stand.isEnabled()) await stand.click().catch(() => undefined);
    await pp.getByTestId("bj-return").waitFor({ timeout: 20_000 });
    const cardsOf = (page: Page) => page.locator(".seat").first().locator(".playing-card").allTextContents();
    const played = await cardsOf(pp);
    expect(played.length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => cardsOf(pw)).toEqual(played);
    await screenshots(pp, "blackjack");
    expect(player.errors).toEqual([]);
    expect(watcher.errors).toEqual([]);
  });
});

describe("hold'em", () => {
  it("two players sit, each sees only their own hole cards, the one to act folds, the pot is awarded", async () => {
    const [a, b] = await Promise.all([playerWithMoney(), playerWithMoney()]);
    const [pa, pb] = [a.watched.page, b.watched.page];
    for (const page of [pa, pb]) await page.goto(`${server.url}/#/holdem/2`);
    await pa.getByRole("button", { name: "Sit (100.00)" }).first().click();
    await expect.poll(() => pb.locator(".seat").first().textContent(), { timeout: 10_000 }).toContain("100.00");
    await pb.getByRole("button", { name: "Sit (100.00)" }).first().click();
    const holeCards = (page: Page) => page.getByTestId("hole-cards").locator(".playing-card").allTextContents();
    // A hand starts at the table's next between-hands deadline (10 s here) once two are seated; a busy
    // CI machine can add seconds to that.
    await expect.poll(() => holeCards(pa), { timeout: 45_000 }).toHaveLength(2);
    await expect.poll(() => holeCards(pb), { timeout: 45_000 }).toHaveLength(2);
    expect(await holeCards(pa)).not.toEqual(await holeCards(pb));
    // Nobody's seat shows another player's cards before a showdown.
    for (const page of [pa, pb]) expect(await page.locator(".seat .playing-card").count()).toBe(0);

    const folder = await (async () => {
      for (let i = 0; i < 200; i++) {
        for (const page of [pa, pb]) if (await page.getByRole("button", { name: "Fold" }).isEnabled()) return page;
        await pa.waitForTimeout(100);
      }
      throw new Error("no player was given the turn");
    })();
    await folder.getByRole("button", { name: "Fold" }).click();
    for (const page of [pa, pb]) await expect.poll(() => page.locator(".wins").textContent(), { timeout: 30_000 }).toContain("pot 1");
    await screenshots(pa, "holdem");
    expect(a.watched.errors).toEqual([]);
    expect(b.watched.errors).toEqual([]);
  }, 240_000);
});

describe("live blackjack", () => {
  it("a dealer deals from the console; the player's page shows each card and the latency marker when the video does", async () => {
    const { watched: player } = await playerWithMoney();
    const pp = player.page;
    const dealer = await open("/console");
    const dp = dealer.page;
    await login(dp, "boss");
    await dp.getByRole("link", { name: "Live blackjack", exact: true }).click();
    await expect.poll(() => dp.getByTestId("dealer-phase").textContent(), { timeout: 10_000 }).not.toBe("joining…");
    await dp.getByRole("button", { name: "Take the table" }).click();
    await dp.getByRole("button", { name: "Declare a shuffle" }).click();

    await pp.goto(`${server.url}/#/liveblackjack/1`);
    await expect.poll(() => pp.getByTestId("dealer-status").textContent(), { timeout: 10_000 }).toContain("dealer on shift");
    await pp.getByRole("button", { name: "Sit here" }).first().click();
    await untilBetting(pp, 1);
    await pp.getByRole("button", { name: "Bet", exact: true }).click();

    // A latency marker: the player's page gets it no sooner than the declared video delay after it was sent.
    await dp.getByRole("button", { name: "Send latency marker" }).click();
    const markerId = await dp.getByTestId("dealer-marker").textContent();
    await expect.poll(() => pp.getByTestId("marker").textContent(), { timeout: 10_000 }).toContain(`marker ${markerId ?? "?"}`);
    const delayMs = Number(await pp.getByTestId("marker").getAttribute("data-delay-ms"));
    expect(delayMs).toBeGreaterThanOrEqual(liveLatencyMs - 50);
    expect(Number(await pp.getByTestId("marker").getAttribute("data-latency-ms"))).toBe(liveLatencyMs);

    // Once betting has closed, the dealer deals: the player's ten and ten, the dealer's nine and hole eight (17: the dealer stands).
    const card = dp.getByLabel("card");
    for (const c of ["Tc", "9d", "Th", "8s"]) {
      await expect
        .poll(
          async () => {
            await card.fill(c);
            await dp.getByRole("button", { name: "Deal card" }).click();
            await dp.waitForTimeout(200);
            return card.inputValue();
          },
          { timeout: 20_000, interval: 300 },
        )
        .toBe("");
    }
    const stand = pp.getByRole("button", { name: "Stand" });
    await expect.poll(async () => (await pp.getByTestId("bj-return").count()) > 0 || (await stand.isEnabled()), { timeout: 20_000 }).toBe(true);
    if (await stand.isEnabled()) await stand.click().catch(() => undefined);
    await pp.getByTestId("bj-return").waitFor({ timeout: 20_000 });
    expect(await pp.getByTestId("bj-return").textContent()).toContain("20.00");
    expect(await pp.locator(".seat").first().locator(".playing-card").allTextContents()).toHaveLength(2);
    await screenshots(pp, "liveblackjack");
    await screenshots(dp, "console-blackjack-dealer");
    expect(player.errors).toEqual([]);
    expect(dealer.errors).toEqual([]);
  });
});

/** The player of the responsible-gaming test, whom the operator then looks up in the console. */
let limitedPlayer: string | null = null;

describe("responsible gaming", () => {
  it("a player sets a daily wager limit, is refused a bet past it, raises it (pending until its time), takes a 1-day time-out and cannot log in", async () => {
    const { watched, username } = await playerWithMoney();
    const { page, errors } = watched;
    await page.getByRole("link", { name: "Limits" }).click();
    const form = page.getByTestId("limit-form");
    const setLimit = async (amount: string) => {
      await form.getByLabel("Limit on").selectOption("wager");
      await form.getByLabel("Over").selectOption("day");
      await form.getByLabel("Amount (EUR)").fill(amount);
      await form.getByRole("button", { name: "Set limit" }).click();
    };
    await setLimit("2.00");
    await expect.poll(() => page.getByTestId("limit-status").textContent()).toContain("Applied now: your wager limit per day is 2.00 EUR.");
    await expect.poll(() => page.locator("[data-testid=limits] tr[data-kind=wager] td[data-period=day]").textContent()).toBe("2.00");

    // At the slot: one 2.00 spin, then a refusal that says which limit and how much is left.
    await page.getByRole("link", { name: "Slots" }).click();
    await page.getByLabel("Stake (EUR)").selectOption("2.00");
    await page.getByTestId("spin").click();
    await page.getByTestId("spin-result").waitFor();
    await page.getByTestId("spin").click();
    const refusal = page.locator("[data-code=CROUPIER_ERR_RG_WAGER_LIMIT_EXCEEDED]");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("Bet refused: it would go over one of your wager limits.");
    expect(await refusal.textContent()).toContain("day wager limit 2.00 EUR; 0.00 EUR left");

    // Raising it waits for the cooling-off (24 h by default): the 2.00 holds until the time shown.
    await refusal.getByRole("link", { name: "See your limits" }).click();
    await setLimit("50.00");
    const status = page.getByTestId("limit-status");
    await expect.poll(() => status.textContent()).toContain("Pending: your wager limit per day stays 2.00 EUR until");
    expect(await status.textContent()).toContain("then becomes 50.00 EUR.");
    await expect.poll(() => page.getByTestId("limits-pending").textContent()).toContain("wager limit per day: 2.00 EUR until");
    expect(await page.getByTestId("limits-pending").textContent()).toContain(String(new Date(Date.now() + 86_400_000).getFullYear()));
    expect(await page.locator("[data-testid=limits] tr[data-kind=wager] td[data-period=day]").textContent()).toContain("2.00");

    // A session time limit of 90 minutes, applied at once and shown.
    const sessionForm = page.getByTestId("session-limit-form");
    await sessionForm.getByLabel("Minutes (5 to 1440)").fill("90");
    await sessionForm.getByRole("button", { name: "Set session limit" }).click();
    await expect.poll(() => page.getByTestId("session-limit-status").textContent()).toContain("Applied now: sessions end after 90 minutes.");
    await expect.poll(() => page.getByTestId("session-limit").textContent()).toContain("Now: sessions end after 90 minutes.");

    // A time-out, behind a confirmation that says what happens; then the login page says what happened.
    const timeOut = page.getByTestId("time_out");
    await timeOut.getByLabel("Days (1–42)").fill("1");
    await timeOut.getByRole("button", { name: "Take a time-out…" }).click();
    const confirm = page.getByTestId("confirm-break");
    await confirm.waitFor();
    const said = await confirm.textContent();
    for (const text of ["logged out now, on every device", "cannot be undone or shortened", "Withdrawals are still possible"]) expect(said).toContain(text);
    expect(await page.locator(":focus").getAttribute("data-testid")).toBe("confirm-break");
    await screenshots(page, "limits");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Log in" }).waitFor({ timeout: 10_000 });
    const notice = page.getByTestId("notice");
    await expect.poll(() => notice.textContent()).toContain("Your time-out has started. You are logged out on every device until");
    await login(page, username);
    const refused = page.locator("[data-code=CROUPIER_ERR_RG_EXCLUDED]");
    await refused.waitFor();
    expect(await refused.textContent()).toContain("time-out until");
    // Withdrawals go on during the break: login and password instead of a session.
    await page.getByText("On a time-out or self-exclusion? Withdraw your money").click();
    const withdrawal = page.getByTestId("break-withdrawal");
    await withdrawal.getByLabel("Username or email").fill(username);
    await withdrawal.getByLabel("Your password").fill(password);
    await withdrawal.getByLabel("Amount to withdraw (EUR)").fill("10.00");
    await withdrawal.getByRole("button", { name: "Request withdrawal" }).click();
    await expect.poll(() => withdrawal.getByRole("status").textContent(), { timeout: 10_000 }).toContain("Withdrawal of 10.00 EUR");
    expect(await withdrawal.getByRole("status").textContent()).toContain("pending");
    limitedPlayer = username;
    // The refused login's 403 is Chromium's own network log line, not the page's; nothing else is logged.
    expect(errors).toEqual(["Failed to load resource: the server responded with a status of 403 (Forbidden)"]);
  });
});

describe("console: players and risk", () => {
  it("an operator finds the player by a username prefix, sees the limit and the time-out, locks and unlocks, sets and clears a risk limit, and reviews it on the Risk page", async () => {
    expect(limitedPlayer).not.toBeNull();
    const username = limitedPlayer as string;
    const operator = await open("/console");
    const op = operator.page;
    await login(op, "boss");
    await op.getByRole("link", { name: "Players" }).click();
    await op.getByLabel("Username or email").fill(username.slice(0, -1));
    await op.getByRole("button", { name: "Search" }).click();
    const result = op.getByTestId("player-results").getByRole("link", { name: username, exact: true });
    await result.waitFor();
    await screenshots(op, "console-players");
    await result.click();
    await expect.poll(() => op.getByTestId("player-name").textContent()).toBe(username);
    const userId = decodeURIComponent(new URL(op.url()).hash.split("/")[2] ?? "");
    expect(await op.getByTestId("account").textContent()).toContain(userId);

    // Protection: the limit with its pending raise, the running time-out; lock and unlock with a reason.
    await expect.poll(() => op.locator("[data-testid=player-limits] tr[data-kind=wager] td[data-period=day]").textContent()).toContain("2.00");
    expect(await op.getByTestId("player-limits-pending").textContent()).toContain("then 50.00 EUR");
    expect(await op.getByTestId("exclusion").textContent()).toContain("time-out");
    await op.getByLabel("Reason to lock").fill("chargeback review");
    await op.getByRole("button", { name: "Lock", exact: true }).click();
    await expect.poll(() => op.getByTestId("lock").textContent()).toContain("chargeback review");
    await op.getByLabel("Reason to unlock").fill("cleared after review");
    await op.getByRole("button", { name: "Unlock", exact: true }).click();
    await expect.poll(() => op.getByTestId("lock").count()).toBe(0);
    expect(await op.getByTestId("access").textContent()).toContain("excluded");

    // A risk limit of 0 bets a minute, then cleared; the operator's limit is among the player's risk actions.
    const limitForm = op.getByTestId("risk-limit-form");
    await limitForm.getByLabel("Bets a minute").fill("0");
    await limitForm.getByLabel("Reason").fill("stop play during review");
    await limitForm.getByRole("button", { name: "Set limit" }).click();
    await expect.poll(() => op.getByTestId("risk-limit").textContent()).toContain("0 (no betting)");
    await expect.poll(() => op.getByTestId("player-actions").textContent()).toContain("operator");
    // A bonus for a player on a time-out is refused, and the console says why.
    const grantForm = op.getByTestId("bonus-grant");
    await grantForm.getByLabel("Reason (kept in the audit log)").fill("goodwill");
    await grantForm.getByRole("button", { name: "Grant bonus" }).click();
    await expect.poll(() => op.locator(".card", { hasText: "Grant bonus" }).textContent()).toContain("RG_EXCLUDED");
    await screenshots(op, "console-player-file");
    // The Risk page lists the limit while it is in force; reversing it there lifts it.
    await op.getByRole("link", { name: "Risk", exact: true }).click();
    const row = op.locator(`[data-testid=risk-actions] tr[data-user="${userId}"]`).first();
    await expect.poll(() => row.getByRole("link").first().textContent(), { timeout: 10_000 }).toBe(username);
    await screenshots(op, "console-risk");
    await row.getByRole("textbox").fill("reviewed: lifted");
    await row.getByRole("button", { name: "Reverse" }).click();
    await expect.poll(() => op.locator(`[data-testid=risk-actions] tr[data-user="${userId}"]`).count()).toBe(0);
    await op.goto(`${server.url}/console#/players/${userId}`);
    await expect.poll(() => op.getByTestId("risk-limit").textContent(), { timeout: 10_000 }).toContain("No risk limit");
    // Set again and cleared from the file: clearing closes the action that set it, so nothing stays open.
    const form = op.getByTestId("risk-limit-form");
    await form.getByLabel("Bets a minute").fill("0");
    await form.getByLabel("Reason").fill("second look");
    await form.getByRole("button", { name: "Set limit" }).click();
    await expect.poll(() => op.getByTestId("risk-limit").textContent()).toContain("0 (no betting)");
    await form.getByLabel("Reason").fill("review done");
    await form.getByRole("button", { name: "Clear limit" }).click();
    await expect.poll(() => op.getByTestId("risk-limit").textContent()).toContain("No risk limit");
    await op.getByRole("link", { name: "Risk", exact: true }).click();
    // What is left: the empty state, or other players' open actions.
    await expect.poll(async () => (await op.getByTestId("risk-empty").count()) + (await op.getByTestId("risk-actions").count())).toBe(1);
    // Chromium logs the refused grant's 403 itself; the page logs nothing.
    expect(operator.errors).toEqual(["Failed to load resource: the server responded with a status of 403 (Forbidden)"]);
  });
});
