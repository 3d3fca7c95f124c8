// The browser tests' harness: a real `rollcall serve` on port 0 with its own data directory, a school and its
// admin, and Debian's Chromium driven by playwright-core (never a downloaded browser). Used by the scenarios
// of this directory through run.mjs; docs/testing.md describes them.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
export const webDir = join(here, '..', '..', 'web');
const requireWeb = createRequire(join(webDir, 'package.json'));
const { chromium } = requireWeb('playwright-core');
const axeSource = requireWeb('fs').readFileSync(requireWeb.resolve('axe-core/axe.min.js'), 'utf8');

// Generous: the server may be an ASan build on a busy two-core machine.
export const TIMEOUT_MS = 20_000;
export const PASSWORD = 'correct horse battery staple';

function run(binary, args, input) {
  const r = spawnSync(binary, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A running server: its URL, and fetch helpers that log in as an admin through the API. */
export class Server {
  static async start({ binary, settings = {}, schools = [{ name: 'Hill School', timezone: 'Africa/Nairobi' }] }) {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-browser-'));
    const data = join(dir, 'data');
    run(binary, ['init', '--data-dir', data]);
    run(binary, ['user', 'create', '--email', 'root@example.org', '--role', 'super_admin', '--data-dir', data], `${PASSWORD}\n`);
    const ids = schools.map((s) =>
      JSON.parse(run(binary, ['school', 'create', '--name', s.name, '--timezone', s.timezone, '--data-dir', data])).id,
    );
    const args = ['serve', '--listen', '127.0.0.1:0', '--data-dir', data, '--set', 'auth.secure_cookies=false',
      '--set', 'auth.argon2_mem_kib=8192', '--set', 'auth.argon2_ops=1'];
    for (const [k, v] of Object.entries(settings)) args.push('--set', `${k}=${v}`);
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stderr.on('data', (d) => (log += d));
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${log}`)), TIMEOUT_MS * 3);
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Rollcall is running at (http:\/\/[^\s]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${log}`)));
    });
    const server = new Server(child, url, dir, ids);
    server.log = () => log;
    return server;
  }

  constructor(child, url, dir, schoolIds) {
    this.child = child;
    this.url = url;
    this.dir = dir;
    this.schoolIds = schoolIds;
  }

  /** A bearer token of the account (the API's own login). */
  async token(email, password = PASSWORD) {
    const r = await fetch(`${this.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(r.status, 200, `login of ${email}`);
    return (await r.json()).token;
  }

  async api(token, method, path, body) {
    const r = await fetch(`${this.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** A school admin of the school, made by the super admin. */
  async schoolAdmin(schoolId, email) {
    const root = await this.token('root@example.org');
    await this.api(root, 'POST', '/api/v1/users', { email, password: PASSWORD, role: 'school_admin', school_id: schoolId });
    return email;
  }

  /** Pushes punches as a terminal would, with the device's token. */
  async push(deviceToken, logs) {
    const r = await fetch(`${this.url}/api/v1/biometric/push-log`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${deviceToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ logs }),
    });
    const body = await r.json();
    assert.equal(r.status, 200, `push: ${JSON.stringify(body)}`);
    return body;
  }

  async stop() {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.on('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.ROLLCALL_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A page of a new browser context (its own cookies) at desktop width, failing the test on any page error. */
export async function newPage(browser, server, { width = 1280, height = 860 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, baseURL: server.url });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A refused Content-Security-Policy shows here: it must fail the test, as must any script error.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return page;
}

export async function login(page, email, password = PASSWORD) {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Runs axe-core on the page: no serious or critical violation. */
export async function checkAccessibility(page, screen) {
  // Evaluated through the debugging protocol, not as a <script>: the page's CSP (no inline script) stays on.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${screen}: accessibility violations`);
}

/** A screenshot of the screen at desktop width and at 360 px into the build tree's screenshot directory. */
export async function capture(page, dir, name) {
  mkdirSync(dir, { recursive: true });
  const viewport = page.viewportSize();
  await page.screenshot({ path: join(dir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  // Two frames: resize observers (the chart) run and the layout settles before it is measured.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  // Nothing may be wider than the phone: no horizontal scrolling of the page itself.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than a 360px phone`);
  await page.screenshot({ path: join(dir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(viewport);
}

// The screens the README shows, as scripts/readme-screenshots.sh captures them: the visible part only, kept small.
const README_SHOTS = { today: 'today', devices: 'devices', 'device-panel': 'user-mapping', register: 'register' };

/** Checks a screen: no page errors so far, accessible, and captured at both widths. */
export async function screen(page, dir, name) {
  await checkAccessibility(page, name);
  const readme = process.env.ROLLCALL_README_SHOTS;
  if (readme && README_SHOTS[name]) {
    mkdirSync(readme, { recursive: true });
    await page.screenshot({ path: join(readme, `${README_SHOTS[name]}.png`) });
  }
  await capture(page, dir, name);
  assert.deepEqual(page.problems, [], `${name}: errors on the page`);
}

export function writeJson(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2));
}
