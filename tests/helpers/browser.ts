// Debian's Chromium driven by Playwright (scripts/browser.ts), and signing in through the page.
export { CHROMIUM, launchChromium } from "@/scripts/browser";

/** A new browser context signed in through the real login page. */
export async function signedInPage(
  browser: import("@playwright/test").Browser,
  baseUrl: string,
  user: { email: string; password: string },
) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.locator('[data-testid="login-email"]').fill(user.email);
  await page.locator('[data-testid="login-password"]').fill(user.password);
  await page.locator('[data-testid="login-submit"]').click();
  await page.waitForURL((u) => u.pathname !== "/login", { timeout: 30_000 });
  return page;
}
