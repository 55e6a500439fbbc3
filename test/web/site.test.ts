// The player site and the operator console in Chromium, against a real `croupier serve` process in
// embedded mode: a player registers, deposits with a sandbox card, spins the slot; two browsers play one
// roulette round and see the result at the same moment by their synced clocks; an operator approves a
// withdrawal and voids a round. Screenshots of each page go to docs/screenshots/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { fastHashFlags, runCroupier, serveCroupier, type ServingProcess } from "../support/process.js";
import { ensureWebBuilt, launchChromium, login, openPage, register, screenshots, type WatchedPage } from "./browser.js";

const password = "correct horse battery";
let dataDir: string;
let server: ServingProcess;
let browser: Browser;
const pages: WatchedPage[] = [];
let seq = 0;
const uniqueUser = (prefix: string) => `${prefix}${Date.now().toString(36)}${++seq}`;

async function open(path: string): Promise<WatchedPage> {
  const watched = await openPage(browser, server.url + path);
  pages.push(watched);
  return watched;
}

async function playerWithMoney(): Promise<{ watched: WatchedPage; username: string }> {
  const watched = await open("/");
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
  const created = await runCroupier(["user", "create", "--username", "boss", "--role", "operator", "--password-stdin", "--data-dir", dataDir, ...fastHashFlags], { stdin: `${password}\n` });
  expect(created.code, created.stderr).toBe(0);
  server = await serveCroupier(["--data-dir", dataDir, "--log-level", "warn", "--roulette-betting-ms", "4000", "--roulette-results-ms", "1500", "--payments-sandbox-webhook-delay-ms", "20"]);
  browser = await launchChromium();
}, 180_000); // two processes start on a busy machine: each runs the migrations (PGlite) first

afterAll(async () => {
  await browser?.close();
  await server?.stop();
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
    const script = await fetch(server.url + asset);
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
    await screenshots(page, "lobby");

    await deposit(page, "100.00");
    await expect.poll(() => page.getByTestId("balance").textContent()).toContain("100.00");
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

/** Waits for a betting phase with at least `secondsMin` left on the page's countdown. */
async function untilBetting(page: Page, secondsMin: number): Promise<void> {
  await expect.poll(async () => {
    const text = await page.getByTestId("countdown").textContent({ timeout: 100 }).catch(() => null);
    return text === null ? 0 : Number(/\d+/.exec(text)?.[0] ?? 0);
  }, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(secondsMin);
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

    const results = await Promise.all([pa, pb].map(async (page) => {
      const result = page.getByTestId("result");
      await result.waitFor({ timeout: 15_000 });
      return { round: await result.getAttribute("data-round"), number: await result.getAttribute("data-number"), at: Number(await result.getAttribute("data-revealed-at")) };
    }));
    const [ra, rb] = results as [typeof results[0], typeof results[0]];
    expect(ra.round).toBe(rb.round);
    expect(ra.number).toBe(rb.number);
    expect(Math.abs(ra.at - rb.at)).toBeLessThan(50);
    for (const page of [pa, pb]) await page.getByTestId("payout").waitFor({ timeout: 10_000 });
    await screenshots(pa, "roulette");
    for (const { watched } of [a, b]) expect(watched.errors).toEqual([]);
  });
});

describe("operator console", () => {
  it("an operator approves a player's withdrawal and voids a roulette round the player bet in", async () => {
    const { watched: player } = await playerWithMoney();
    const pp = player.page;
    const withdraw = pp.getByTestId("withdrawal");
    await withdraw.getByLabel("Amount (EUR)").fill("30.00");
    await withdraw.getByRole("button", { name: "Request withdrawal" }).click();
    await expect.poll(() => pp.getByTestId("withdrawal-status").textContent()).toContain("pending");

    const operator = await open("/console");
    const op = operator.page;
    await screenshots(op, "console-login");
    await login(op, "boss");
    await op.getByTestId("ledger-check").waitFor();
    await expect.poll(() => op.getByTestId("ledger-check").textContent()).toContain("debits = credits");
    await screenshots(op, "console-overview");

    await op.getByRole("link", { name: "Withdrawals" }).click();
    const row = op.locator("[data-testid=withdrawals] tr", { hasText: "30.00 EUR" }).first();
    await row.getByRole("button", { name: "Approve" }).waitFor();
    await screenshots(op, "console-withdrawals");
    await row.getByRole("button", { name: "Approve" }).click();
    await op.getByRole("combobox").selectOption("paid");
    await expect.poll(() => op.locator("[data-testid=withdrawals]").textContent()).toContain("30.00 EUR");
    await pp.reload();
    await pp.getByRole("link", { name: "Wallet" }).click();
    await expect.poll(() => pp.getByTestId("balance").textContent()).toContain("70.00");

    // The player bets at roulette 2; the operator voids the round with a reason; the player is refunded.
    await pp.goto(`${server.url}/#/roulette/2`);
    await untilBetting(pp, 3);
    await pp.getByRole("button", { name: "Black", exact: true }).click();
    await pp.getByTestId("place").click();
    await pp.getByTestId("placed").waitFor();
    await op.getByRole("link", { name: "Tables" }).click();
    const table = op.locator("tr[data-room='roulette:2']");
    await table.getByPlaceholder("void reason").fill("wheel fault");
    await table.getByRole("button", { name: "Void round" }).click();
    await expect.poll(() => pp.locator(".table-status").textContent(), { timeout: 10_000 }).toContain("round voided: wheel fault");
    await expect.poll(() => pp.locator(".card", { hasText: "This round" }).textContent()).toContain("Refunded 1.00 EUR");
    await screenshots(op, "console-tables");

    await op.getByRole("link", { name: "Dealer" }).click();
    await op.getByTestId("dealer-phase").waitFor();
    await screenshots(op, "console-dealer");
    expect(player.errors).toEqual([]);
    expect(operator.errors).toEqual([]);
  });
});
