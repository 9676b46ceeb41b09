// Launches Debian's Chromium through playwright-core (never a downloaded browser), with the flags
// that keep it off the network on these machines. playwright gives each launch a fresh profile dir.
import type { Browser, BrowserType } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Keep Debian's Chromium off the network and quiet on these machines (also used by bench:site). */
export const OFFLINE_CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export async function launchChromium(type: BrowserType): Promise<Browser> {
  return type.launch({ executablePath: CHROMIUM_PATH, headless: true, args: OFFLINE_CHROMIUM_FLAGS });
}
