// Chromium for the browser tests: Debian's package (`apt-get install -y chromium`; .ci/run installs it),
// driven by playwright-core. Every page records its console errors and uncaught exceptions, which the
// tests require to be none.
import { existsSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const screenshotsDir = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));

export const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p)) ?? null;

/** The built pages are made by `npm install` (prepare); a checkout that skipped it builds them here. */
export function ensureWebBuilt(): void {
  if (existsSync(`${root}dist/web/index.html`)) return;
  const built = spawnSync("npm", ["run", "build:web"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) throw new Error("npm run build:web failed");
}

export async function launchChromium(): Promise<Browser> {
  if (chromiumPath === null) throw new Error("Chromium is not installed: apt-get install -y chromium (.ci/run does it)");
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly errors: string[];
}

export const phone = { width: 360, height: 740 };
export const desktop = { width: 1280, height: 860 };

export async function openPage(browser: Browser, url: string, viewport = desktop): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  await page.goto(url);
  return { page, context, errors };
}

/** Screenshots of the page as shown now, at phone and desktop widths: docs/screenshots/<name>-{phone,desktop}.png. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  const original = page.viewportSize() ?? desktop;
  for (const [label, size] of [
    ["phone", phone],
    ["desktop", desktop],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(50);
    await page.screenshot({ path: `${screenshotsDir}${name}-${label}.png`, fullPage: true });
  }
  await page.setViewportSize(original);
}

export async function register(page: Page, username: string, password = "correct horse battery"): Promise<void> {
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Register" }).click();
  await page.getByRole("link", { name: "Lobby" }).waitFor();
}

export async function login(page: Page, username: string, password = "correct horse battery"): Promise<void> {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}
