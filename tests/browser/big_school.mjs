// A school of 600 pupils in three classes of 200: the register and the people list put only the rows near the screen in the page, and
// nothing of the rest is lost for it. The counts cover everyone, the End of the list shows the last pupil, the
// search and the status chips reach pupils far below the screen, a row scrolled to opens its explanation, and
// printing puts every row in the page. One class gets its own start time, picked from the school's groups.

import assert from 'node:assert/strict';
import { login, newPage, screen } from './harness.mjs';

export const serverOptions = { settings: { 'clock.fixed': '2026-03-12T06:00:00Z' } };

const PUPILS = 600;
const name = (i) => `Pupil ${String(i).padStart(3, '0')}`;
const rowsInPage = (page, table) => page.locator(`${table} tbody tr[data-person]`).count();

/** Scrolls to the end of the page and waits for the row of `person` to be on the screen. */
async function scrollToEnd(page, person) {
  await page.keyboard.press('End');
  const row = page.locator(`tr[data-person="${person}"]`);
  await row.waitFor();
  await page.waitForFunction(
    (p) => {
      const box = document.querySelector(`tr[data-person="${p}"]`)?.getBoundingClientRect();
      return box && box.top >= 0 && box.bottom <= innerHeight;
    },
    person,
    { polling: 'raf' },
  );
  return row;
}

export async function run({ server, browser, out }) {
  const sid = server.schoolIds[0];
  const admin = await server.token(await server.schoolAdmin(sid, 'office@hill.example'));
  const school = `/api/v1/schools/${sid}`;
  await server.api(admin, 'PUT', `${school}/settings/attendance`, {
    effective_from: '2026-01-05',
    school_start_time: '08:00',
    grace_minutes: 5,
  });
  const gate = await server.api(admin, 'POST', `${school}/devices`, { name: 'Main gate', sync_mode: 'push' });
  let csv = 'name,kind,group,active_from,user_id\n';
  for (let i = 1; i <= PUPILS; ++i) csv += `${name(i)},student,${['5A', '5B', '6A'][Math.floor((i - 1) / 200)]},2026-01-05,${i}\n`;
  const imported = await fetch(`${server.url}${school}/people/import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'text/csv' },
    body: csv,
  });
  assert.equal((await imported.json()).created, PUPILS);
  // Pupils 1 to 400 came in; every tenth of them late (08:20); 401 to 600 have not come.
  const logs = [];
  for (let i = 1; i <= 400; ++i) logs.push({ user_id: String(i), timestamp: `2026-03-12 ${i % 10 === 0 ? '08:20' : '07:40'}:00` });
  await server.push(gate.api_token, logs);

  const page = await newPage(browser, server);
  await login(page, 'office@hill.example');
  await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  const table = page.locator('table.register');
  await table.locator(`tr[data-person="${name(1)}"]`).waitFor();

  // Everyone is counted and announced, though a screenful is in the page.
  assert.equal(await table.getAttribute('aria-rowcount'), String(PUPILS + 1));
  assert.equal(await page.locator('[data-status-count="present"]').textContent(), 'Present 360');
  assert.equal(await page.locator('[data-status-count="late"]').textContent(), 'Late 40');
  const first = await rowsInPage(page, 'table.register');
  assert.ok(first > 5 && first < 150, `a screenful of rows is in the page, not all ${PUPILS} (${first})`);
  await screen(page, out, 'register-600');

  // The End of the list is the last pupil, with the rows around it; the first rows have left the page.
  await scrollToEnd(page, name(PUPILS));
  assert.equal(await page.locator(`tr[data-person="${name(1)}"]`).count(), 0);
  assert.equal(await page.locator(`tr[data-person="${name(PUPILS)}"]`).getAttribute('data-status'), 'pending');
  assert.ok((await rowsInPage(page, 'table.register')) < 150);

  // Back at the top, the search reaches a pupil far below the screen.
  await page.keyboard.press('Home');
  await page.locator(`tr[data-person="${name(1)}"]`).waitFor();
  await page.getByLabel('Find a name', { exact: true }).fill(name(590));
  await page.waitForFunction(() => document.querySelectorAll('table.register tbody tr[data-person]').length === 1);
  assert.equal(await table.locator('tbody tr[data-person]').getAttribute('data-person'), name(590));
  await page.getByLabel('Find a name', { exact: true }).fill('');

  // The Late chip: the 40 late pupils, few enough to be in the page whole.
  await page.locator('[data-status-count="late"]').click();
  await page.waitForFunction(() => document.querySelectorAll('table.register tbody tr[data-person]').length === 40);
  assert.equal(await page.locator('table.register tbody tr[data-status="late"]').count(), 40);
  await page.locator('[data-status-count="late"]').click();

  // A row reached by scrolling opens its explanation.
  const last = await scrollToEnd(page, name(PUPILS));
  await last.getByRole('button', { name: `Explain: ${name(PUPILS)}` }).click();
  await page.getByRole('heading', { name: `Why: ${name(PUPILS)}` }).waitFor();
  await page.keyboard.press('Escape');

  // Printing puts every row in the page, and the screen goes back to a window after.
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.waitForFunction((n) => document.querySelectorAll('table.register tbody tr[data-person]').length === n, PUPILS);
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await page.waitForFunction(() => document.querySelectorAll('table.register tbody tr[data-person]').length < 150);

  // 5A starts at 07:30: the group is chosen from the school's groups, its settings saved for it alone, and its
  // 07:40 arrivals become late; 5B's stay on time.
  await page.getByRole('link', { name: 'Attendance settings' }).click();
  await page.getByLabel('One group').check();
  await page.locator('datalist option[value="6A"]').waitFor({ state: 'attached' });
  assert.deepEqual(await page.locator('datalist option').evaluateAll((all) => all.map((o) => o.value)), ['5A', '5B', '6A']);
  await page.getByLabel('Group', { exact: true }).fill('5A');
  await page.getByRole('button', { name: 'Settings for 5A' }).click();
  await page.getByText('This scope has no settings of its own').waitFor();
  await page.getByLabel('School start time').fill('07:30');
  await page.getByLabel('Effective from').fill('2026-01-05');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  await page.locator('[data-status-count="late"]', { hasText: 'Late 220' }).waitFor();
  assert.equal(await page.locator('[data-status-count="present"]').textContent(), 'Present 180');
  await page.getByLabel('Find a name', { exact: true }).fill(name(201));
  await page.locator(`tr[data-person="${name(201)}"][data-status="present"]`).waitFor();

  // The people list: 600 pupils, the last one at the End, one found by the search.
  await page.getByRole('link', { name: 'People', exact: true }).click();
  await page.locator(`tr[data-person="${name(1)}"]`).waitFor();
  assert.ok((await rowsInPage(page, 'table')) < 150);
  // Sorted by class, then name: the last pupil of 6A ends the list.
  await scrollToEnd(page, name(PUPILS));
  await page.keyboard.press('Home');
  await page.getByLabel('Find by name, ID or group', { exact: true }).fill(name(299));
  await page.locator(`tr[data-person="${name(299)}"]`).waitFor();
  assert.equal(await rowsInPage(page, 'table'), 1);
  assert.deepEqual(page.problems, []);
}
