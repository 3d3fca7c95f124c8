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
  await page.getByRole('link', { name: 'Biometric devices', exact: true }).click();
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

  // With Today open, the terminal pushes with it: the unmapped users show at once, without a reload.
  await page.getByRole('link', { name: 'Today' }).click();
  await page.locator('[data-live="on"]').waitFor();
  const pushed = await server.push(token, [
    { user_id: '17', timestamp: '2026-03-12 07:41:10' },
    { user_id: '18', timestamp: '2026-03-12 08:22:05' },
  ]);
  assert.equal(pushed.inserted, 2);
  await page.getByText('2 user IDs at the gate belong to nobody yet.').waitFor();
  // A terminal of the same address still pushing with an old token is named on Today.
  const refused = await fetch(`${server.url}/api/v1/biometric/push-log`, {
    method: 'POST', headers: { Authorization: 'Bearer an-old-token', 'Content-Type': 'application/json' }, body: '{"logs":[]}',
  });
  assert.equal(refused.status, 401);
  await page.reload();
  await page.locator('[data-unknown-from="127.0.0.1"]').waitFor();
  await screen(page, out, 'today');

  // The device's Control Panel lists both users, unmapped; map 17 to Amina.
  await page.getByRole('link', { name: 'Biometric devices', exact: true }).click();
  await page.locator('tr[data-device="Main gate"]').getByText('online').waitFor();
  await screen(page, out, 'devices');
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

  // The unmapped inbox, one click from Today, holds user 18; map it school-wide to Brian.
  await page.getByRole('link', { name: 'Today' }).click();
  await page.getByRole('link', { name: 'Map them' }).click();
  const row18 = page.locator('tr[data-user="18"]');
  await row18.waitFor();
  assert.equal(await page.locator('tr[data-user="17"]').count(), 0, '17 is mapped: not in the inbox');
  await screen(page, out, 'unmapped');
  await row18.getByRole('button', { name: 'Map 18' }).click();
  await page.getByLabel('On every device of the school').check();
  await page.getByLabel('Search students and staff').fill('brian');
  await page.getByRole('button', { name: /Brian Otieno/ }).click();
  await page.getByText('Every user ID is mapped.').waitFor();

  // An older terminal read by the agent holds names: its unmapped users get suggestions, and one is accepted.
  await server.api(admin, 'POST', `/api/v1/schools/${sid}/people`, { name: 'Chloé Wanjiru', kind: 'staff', active_from: '2026-01-05' });
  const office = await server.api(admin, 'POST', `/api/v1/schools/${sid}/devices`, { name: 'Staff room', sync_mode: 'agent', ip: '192.0.2.10' });
  const agent = (await server.api(admin, 'POST', `/api/v1/schools/${sid}/agent-tokens`)).token;
  await server.api(agent, 'PUT', `/api/v1/agent/devices/${office.id}/users`, {
    items: [{ user_id: '501', name: 'WANJIRU CHLOE', card: 0, privilege: 0 }],
    read_at: '2026-03-12T05:30:00Z',
  });
  await page.reload();
  const suggestion = page.locator('tr[data-suggestion="501"]');
  await suggestion.getByText('Chloé Wanjiru').waitFor();
  await screen(page, out, 'suggestions');
  await suggestion.getByRole('button', { name: /^Accept: 501/ }).click();
  await page.getByText('1 suggestion accepted').waitFor();
  const staffRoom = await server.api(admin, 'GET', `/api/v1/schools/${sid}/devices/${office.id}/users`);
  assert.equal(staffRoom.items.find((u) => u.user_id === '501').name, 'WANJIRU CHLOE');
  assert.ok(staffRoom.items.find((u) => u.user_id === '501').person_id, '501 is mapped');

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
