// A newcomer's whole path, as a school admin with a browser: log in, add a push device, copy its token, push
// punches with that token, see them arrive, map the terminal's users to people.

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
  assert.deepEqual(page.problems, []);
}
