import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

/** Where screenshots go: E2E_SCREENSHOTS, else /tmp/shots (looked at before a screen is called done). */
export const SHOTS_DIR = process.env.E2E_SCREENSHOTS || "/tmp/shots";

/**
 * Screenshots of the current screen in light and dark (`<name>-light.png`, `<name>-dark.png`).
 * `settleMs` lets canvas charts redraw after the theme flips.
 */
export async function shots(page: Page, name: string, opts: { fullPage?: boolean; settleMs?: number } = {}): Promise<void> {
  const { fullPage = true, settleMs = 0 } = opts;
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0)); // sticky header and aside render where they belong
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    if (scheme === "dark") await expect(page.locator("html")).toHaveClass(/dark/);
    else await expect(page.locator("html")).not.toHaveClass(/dark/);
    if (settleMs) await page.waitForTimeout(settleMs);
    await page.screenshot({ path: path.join(SHOTS_DIR, `${name}-${scheme}.png`), fullPage });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** Opens a host's page from the hosts list; returns its id. */
export async function openHost(page: Page, hostName: string): Promise<string> {
  await page.getByRole("table", { name: "Hosts" }).getByRole("link", { name: hostName, exact: true }).click({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: hostName })).toBeVisible();
  return decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
}
