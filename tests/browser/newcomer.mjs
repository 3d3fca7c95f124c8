// A newcomer's whole path, as a school admin with a browser: log in, add a push device, copy its token, push
// punches with that token, see them arrive, map the terminal's users to people, set the school start time, read
// the register, open the explain drawer, override a day and export the register.

import assert from 'node:assert/strict';
import { PASSWORD, login, newPage, screen } from './harness.mjs';

// 09:00 in Nairobi on a Thursday: the punches below are from before it.
export const serverOptions = { settings: { 'clock.fixed': '2026-03-12T06:00:00Z' } };

export async function run({ server, browser, out }) {
  const sid = server.schoolIds[0];
  const email = await server.schoolAdmin(sid, 'office@hill.example');
  const admin = await server.token(email);
  for (const [name, external_id] of [['Amina Njeri', 'S-017'], ['Brian Otieno', 'S-018']]) {
    await server.api(admin, 'POST', `/api/v1/schools/${sid}/people`, { name, kind: 'student', group: '5A', external_id, active_from: '2026-01-05' });
  }

  const page = await newPage(browser, server);

  // A wrong password says so, and nothing else happens.
  await login(page, email, 'not the password');
  await page.getByText('Wrong email or password.').waitFor();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();

  // Today is the landing page, and says nobody can be late yet.
  await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
  await page.locator('[data-warning="no-start-time"]').first().waitFor();
  await screen(page, out, 'today-empty');

  // Add New Device.
  await page.getByRole('link', { name: 'Biometric devices' }).click();
  await page.getByRole('heading', { name: 'Biometric devices', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Add new device' }).click();
  await page.getByLabel('Device name').fill('Main gate');
  await screen(page, out, 'device-add');
  await page.getByRole('dialog').getByRole('button', { name: 'Add new device' }).click();
  await page.getByText('Device added.').waitFor();

  // Copy its token: the clipboard then holds the token that Show reveals.
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByText('Copied.').waitFor();
  const token = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(token, /^\S{20,}$/);
  await page.getByRole('button', { name: 'Show' }).click();
  assert.equal(await page.locator('[data-token]').getAttribute('data-token'), token);

  // The terminal pushes with it.
  const pushed = await server.push(token, [
    { user_id: '17', timestamp: '2026-03-12 07:41:10' },
    { user_id: '18', timestamp: '2026-03-12 08:22:05' },
  ]);
  assert.equal(pushed.inserted, 2);

  // The device's Control Panel lists both users, unmapped; map 17 to Amina.
  await page.reload();
  await page.getByRole('link', { name: 'Main gate' }).click();
  await page.getByRole('heading', { name: 'Main gate', level: 1 }).waitFor();
  const row17 = page.locator('tr[data-user="17"]');
  await row17.getByText('not mapped').waitFor();
  await page.locator('tr[data-user="18"]').waitFor();
  await screen(page, out, 'device-panel');
  await row17.getByRole('button', { name: 'Map 17' }).click();
  await page.getByLabel('Search students and staff').fill('amina');
  await screen(page, out, 'map-dialog');
  await page.getByRole('button', { name: /Amina Njeri/ }).click();
  await row17.getByRole('cell', { name: 'Amina Njeri' }).waitFor();

  // The mapping is real: the API says so.
  const mappings = await server.api(admin, 'GET', `/api/v1/schools/${sid}/mappings`);
  assert.equal(mappings.items.length, 1);
  assert.equal(mappings.items[0].user_id, '17');
  assert.equal(mappings.items[0].scope, 'device');

  // The unmapped inbox holds user 18; map it school-wide to Brian.
  await page.getByRole('link', { name: 'Unmapped users' }).click();
  const row18 = page.locator('tr[data-user="18"]');
  await row18.waitFor();
  assert.equal(await page.locator('tr[data-user="17"]').count(), 0, '17 is mapped: not in the inbox');
  await screen(page, out, 'unmapped');
  await row18.getByRole('button', { name: 'Map 18' }).click();
  await page.getByLabel('On every device of the school').check();
  await page.getByLabel('Search students and staff').fill('brian');
  await page.getByRole('button', { name: /Brian Otieno/ }).click();
  await page.getByText('Every user ID is mapped.').waitFor();

  // Without a start time nobody is late: both are present.
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  await page.locator('tr[data-person="Brian Otieno"][data-status="present"]').waitFor();
  await page.locator('[data-warning="no-start-time"]').first().waitFor();

  // Set the school start time: 08:00 with 10 minutes' grace, from the start of term.
  await page.getByRole('link', { name: 'Attendance settings' }).click();
  await page.getByLabel('School start time').fill('08:00');
  await page.getByLabel('Grace (minutes)', { exact: true }).fill('10');
  await page.getByLabel('Effective from').fill('2026-01-05');
  await screen(page, out, 'settings');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();

  // The register now says who was present and who was late.
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  await page.locator('tr[data-person="Amina Njeri"][data-status="present"]').waitFor();
  const brian = page.locator('tr[data-person="Brian Otieno"][data-status="late"]');
  await brian.waitFor();
  assert.equal(await page.locator('[data-warning="no-start-time"]').count(), 0);
  assert.equal(await page.locator('[data-status-count="late"]').textContent(), 'Late 1');
  await screen(page, out, 'register');

  // The explain drawer says which punch was the IN, and why he is late.
  await brian.getByRole('button', { name: 'Explain: Brian Otieno' }).click();
  const drawer = page.getByRole('dialog', { name: 'Why: Brian Otieno' });
  await drawer.locator('li[data-used="in"]').waitFor();
  assert.match(await drawer.locator('li[data-used="in"]').textContent(), /08:22/);
  await screen(page, out, 'explain');

  // His parent phoned: override the day, with a reason; the computed row stays beside it.
  await drawer.getByLabel('Status').selectOption('excused');
  await drawer.getByLabel('Reason').fill('parent phoned: clinic appointment');
  await drawer.getByRole('button', { name: 'Save override' }).click();
  await drawer.locator('[data-override]').waitFor();
  assert.match(await drawer.locator('[data-computed]').textContent(), /Late/);
  await drawer.getByRole('button', { name: 'Close' }).click();
  await page.locator('tr[data-person="Brian Otieno"][data-status="excused"]').waitFor();
  const audit = await server.api(admin, 'GET', `/api/v1/schools/${sid}/audit?entity=override`);
  assert.equal(audit.items[0].reason, 'parent phoned: clinic appointment');

  // Export the register: a CSV with both rows as shown.
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.equal(file.suggestedFilename(), 'Hill School_register_2026-03-12.csv');
  const text = await (await import('node:fs/promises')).readFile(await file.path(), 'utf8');
  assert.match(text, /Amina Njeri,5A,Student,Present,07:41:10/);
  assert.match(text, /Brian Otieno,5A,Student,Excused/);
  assert.deepEqual(page.problems, []);
}
