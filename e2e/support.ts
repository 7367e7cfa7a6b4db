import { createServer } from 'node:net';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { testApp, type TestApp } from '../test/support/test-app.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}; install it with: apt-get install -y chromium`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core on the page for WCAG 2.2 A and AA; returns the violations, readably. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async (tags) => {
    const result = await (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }, WCAG_22_AA);
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

const SIGN_IN_LABELS = {
  ko: { username: '아이디', password: '비밀번호', code: '앱에 표시된 6자리 숫자', kept: '보관했습니다. 계속하기' },
  en: { username: 'Username', password: 'Password', code: '6-digit number from the app', kept: 'I have kept them, continue' },
} as const;

/** Signs in with a password from the keyboard, in the given language. */
export async function signInWithKeyboard(page: Page, base: string, username: string, password: string, lang: 'ko' | 'en' = 'ko'): Promise<void> {
  const labels = SIGN_IN_LABELS[lang];
  await page.goto(`${base}/sign-in?lang=${lang}`);
  await page.getByLabel(labels.username).fill(username);
  await page.getByLabel(labels.password).fill(password);
  await page.getByLabel(labels.password).press('Enter');
  await page.waitForLoadState();
}

/**
 * Signs an official in for the first time, as they would: password, then enrolling an
 * authenticator app by its secret, then past the recovery codes.
 */
export async function signInOfficialFirstTime(page: Page, base: string, username: string, password: string, lang: 'ko' | 'en' = 'ko'): Promise<void> {
  const { generate } = await import('otplib');
  const labels = SIGN_IN_LABELS[lang];
  await signInWithKeyboard(page, base, username, password, lang);
  await page.waitForURL(`${base}/sign-in/second-factor`);
  const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s/g, '');
  await page.getByLabel(labels.code).fill(await generate({ secret }));
  await page.getByLabel(labels.code).press('Enter');
  await page.getByRole('link', { name: labels.kept }).click();
}

/** Gives the page a passkey authenticator (Chromium's virtual one) that verifies the user at once. */
export async function addVirtualAuthenticator(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

/** A port free on 127.0.0.1 right now, for a server a journey starts. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Where journeys leave their screenshots. */
export const SHOTS = 'e2e/screenshots';

export interface Journey {
  t: TestApp;
  browser: Browser;
  /** Nara's address, `http://localhost:PORT` ("localhost": WebAuthn refuses IP addresses) */
  base: string;
  close(): Promise<void>;
}

/** Nara listening on a free port with its public URL set to it, and a Chromium to walk it. */
export async function startJourney(options: Parameters<typeof testApp>[0] = {}): Promise<Journey> {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const t = await testApp({ ...options, config: { ...options.config, publicUrl: base } });
  await t.app.listen({ host: 'localhost', port });
  const browser = await launchChromium();
  return {
    t,
    browser,
    base,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}
