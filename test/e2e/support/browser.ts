import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium; Playwright's own browser download cannot work on our machines. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// A person's browser: Shopify's libraries answer 410 to user agents that look like bots (HeadlessChrome).
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ userAgent: USER_AGENT, viewport: { width: 1280, height: 900 }, locale: "en-US" });
  return context.newPage();
}

/**
 * A screenshot of the whole embedded page: the admin frames the app at the window's height, so the
 * window is made as tall as the app's content for the shot, then put back.
 */
export async function screenshotApp(page: Page, file: string): Promise<void> {
  const frame = page.frame({ name: "app-iframe" });
  const contentHeight = frame ? await frame.evaluate(() => document.documentElement.scrollHeight) : 0;
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  // The admin's top bar is 56 px; very long pages are cut at a height image viewers still open.
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(viewport.height, contentHeight + 56), 8000) });
  await page.waitForTimeout(200);
  await page.screenshot({ path: file, fullPage: true });
  await page.setViewportSize(viewport);
}
