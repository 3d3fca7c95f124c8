// The rest of a school office's week, screen by screen: the super admin opens a school and gives it an admin;
// the admin imports the pupils from a spreadsheet (seeing the bad lines before anything is saved), adds a
// holiday, registers the SMS gateway, reads the audit trail and a report, and changes their own password.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD, login, newPage, screen } from './harness.mjs';

export const serverOptions = { schools: [], settings: { 'clock.fixed': '2026-03-12T06:00:00Z' } };

export async function run({ server, browser, out }) {
  // The super admin creates the school, in its time zone, and its first admin.
  const root = await newPage(browser, server);
  await login(root, 'root@example.org');
  await root.getByRole('heading', { name: 'Schools', level: 1 }).waitFor();
  await root.getByLabel('School name').fill('Hill School');
  await root.getByLabel('Time zone').fill('Africa/Nairobi');
  await root.getByRole('button', { name: 'Add school' }).click();
  await root.locator('tr[data-school="Hill School"]').waitFor();
  await root.locator('tr[data-school="Hill School"]').getByRole('link', { name: 'Admins' }).click();
  await root.getByRole('heading', { name: 'Admins', level: 1 }).waitFor();
  await root.getByLabel('Email').fill('office@hill.example');
  await root.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await root.getByRole('button', { name: 'Add admin' }).click();
  await root.locator('tr[data-user="office@hill.example"]').waitFor();
  await screen(root, out, 'admins');

  const page = await newPage(browser, server);
  await login(page, 'office@hill.example');
  await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();

  // People: a CSV from the office's spreadsheet, with one bad line; the preview shows it before anything is saved.
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
  const csv = join(server.dir, 'pupils.csv');
  writeFileSync(
    csv,
    'name,kind,external_id,group,active_from\r\n' +
      'Amina Njeri,student,ADM-1,5A,2026-01-05\r\n' +
      'Brian Otieno,pupil,ADM-2,5A,2026-01-05\r\n' +
      'Chao Li,student,ADM-3,6B,2026-01-05\r\n',
  );
  await page.getByLabel('CSV file', { exact: true }).setInputFiles(csv);
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.locator('[data-import-preview]').getByText('2 people would be created').waitFor();
  await page.getByText(/Line 3: kind/).waitFor();
  const api = await server.token('office@hill.example');
  const sid = (await server.api(api, 'GET', '/api/v1/me')).school_id;
  assert.equal((await server.api(api, 'GET', `/api/v1/schools/${sid}/people`)).items.length, 0, 'the preview saved nothing');
  await screen(page, out, 'people-import');
  await page.getByRole('button', { name: 'Import 2 people' }).click();
  await page.getByText('2 people created').waitFor();
  await page.locator('tr[data-person="Chao Li"]').waitFor();
  // Add one by hand, then a leaver.
  await page.getByRole('button', { name: 'Add a person' }).click();
  await page.getByLabel('Full name').fill('Dana Wanjiru');
  await page.getByLabel('Kind').selectOption('staff');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await page.locator('tr[data-person="Dana Wanjiru"]').waitFor();
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Leaves today: Chao Li' }).click();
  await page.getByText('Chao Li is tracked until today').waitFor();
  await screen(page, out, 'people');

  // A holiday.
  await page.getByRole('link', { name: 'Holidays' }).click();
  await page.getByLabel('Date').fill('2026-03-20');
  await page.getByLabel('Name').fill("Founders' Day");
  await page.getByRole('button', { name: 'Add holiday' }).click();
  await page.getByRole('cell', { name: "Founders' Day", exact: true }).waitFor();
  await screen(page, out, 'holidays');

  // The SMS gateway: its secret is shown once.
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.getByLabel('Gateway URL').fill('https://sms.hill.example/rollcall');
  await page.getByRole('button', { name: 'Add webhook' }).click();
  const secret = await page.locator('[data-secret]').textContent();
  assert.ok(secret && secret.length >= 20, 'the secret is shown');
  await screen(page, out, 'webhooks');
  await page.reload();
  await page.getByRole('heading', { name: 'https://sms.hill.example/rollcall' }).waitFor();
  assert.equal(await page.getByText(secret).count(), 0, 'the secret is never shown again');

  // The audit trail says who did all that.
  await page.getByRole('link', { name: 'Audit trail' }).click();
  await page.getByRole('rowheader', { name: 'Amina Njeri' }).first().waitFor();
  await page.getByRole('rowheader', { name: "Founders' Day (2026-03-20)" }).waitFor();
  await screen(page, out, 'audit');

  // A report over the week.
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByLabel('Report').selectOption('summary');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('cell', { name: 'Amina Njeri' }).waitFor();
  await screen(page, out, 'reports');

  // The monthly register: the month's grid for 5A, and its print layout as an Excel file.
  await page.getByRole('link', { name: 'Monthly register' }).click();
  await page.getByLabel('Group').selectOption('5A');
  await page.locator('[data-month-filter="5A"]').waitFor();
  const grid = page.locator('table.month');
  await grid.locator('tr[data-person="Amina Njeri"]').waitFor();
  assert.equal(await grid.locator('tr[data-person="Chao Li"]').count(), 0, 'Chao is in 6B');
  // 12 March is a Thursday: its cell (the 12th day) is a school day; Saturday the 14th is a weekend.
  const cells = grid.locator('tr[data-person="Amina Njeri"] td');
  assert.equal((await cells.nth(13).textContent()).trim(), 'W', 'Saturday 14 March');
  await screen(page, out, 'monthly');
  const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download Excel (print layout)' }).click()]);
  assert.match(sheet.suggestedFilename(), /monthly-register_2026-03.*\.xlsx$/);
  const bytes = await (await import('node:fs/promises')).readFile(await sheet.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');

  // The admin changes their own password; a wrong current one says so beside the field.
  await page.getByRole('link', { name: 'My account' }).click();
  await page.getByLabel('Current password').fill('wrong password!');
  await page.getByLabel('New password').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.locator('.field-error').first().waitFor();
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Password changed.').waitFor();
  await screen(page, out, 'account');
  assert.deepEqual(page.problems, []);
  assert.deepEqual(root.problems, []);
}
