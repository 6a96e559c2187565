// Debian's Chromium driven by Playwright (scripts/browser.ts), and signing in through the page.
export { CHROMIUM, launchChromium } from "@/scripts/browser";

/**
 * A new browser context signed in through the real login page. The server's real sign-in limiter
 * (3 per 10 s per client address, and every test browser is 127.0.0.1) may answer "Too many
 * attempts … in N seconds": then it waits that long and signs in again, as a person would.
 */
export async function signedInPage(
  browser: import("@playwright/test").Browser,
  baseUrl: string,
  user: { email: string; password: string },
) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  for (let attempt = 1; ; attempt++) {
    // A fresh login page each time: the last refusal's message must not answer for this attempt.
    await page.goto(`${baseUrl}/login`);
    await page.locator('[data-testid="login-email"]').fill(user.email);
    await page.locator('[data-testid="login-password"]').fill(user.password);
    await page.locator('[data-testid="login-submit"]').click();
    const limited = page.getByText(/Too many attempts/);
    const navigated = page.waitForURL((u) => u.pathname !== "/login", { timeout: 30_000 }).then(() => null);
    const refused = limited.waitFor({ timeout: 30_000 }).then(() => limited.textContent());
    // The loser times out later: it must not surface as an unhandled rejection.
    for (const p of [navigated, refused]) p.catch(() => undefined);
    const outcome = await Promise.race([navigated, refused]);
    if (outcome === null) return page;
    if (attempt === 4) throw new Error(`sign-in of ${user.email} still rate-limited: ${outcome}`);
    const seconds = Number(/in (\d+) seconds/.exec(outcome ?? "")?.[1] ?? 10);
    await page.waitForTimeout((seconds + 1) * 1000);
  }
}
