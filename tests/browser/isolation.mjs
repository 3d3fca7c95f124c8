// A school admin cannot reach another school's screens: a link to them shows "nothing here", as the API's 404
// does, and nothing of the other school appears anywhere. The super admin sees the schools.

import assert from 'node:assert/strict';
import { login, newPage, screen } from './harness.mjs';

export const serverOptions = {
  schools: [
    { name: 'Hill School', timezone: 'Africa/Nairobi' },
    { name: 'Lake Academy', timezone: 'Africa/Kampala' },
  ],
};

export async function run({ server, browser, out }) {
  const [hill, lake] = server.schoolIds;
  const hillAdmin = await server.schoolAdmin(hill, 'office@hill.example');
  const lakeAdmin = await server.token(await server.schoolAdmin(lake, 'office@lake.example'));
  await server.api(lakeAdmin, 'POST', `/api/v1/schools/${lake}/people`, { name: 'Secret Pupil', kind: 'student', group: '1A' });
  await server.api(lakeAdmin, 'POST', `/api/v1/schools/${lake}/devices`, { name: 'Lake gate', sync_mode: 'push' });

  const page = await newPage(browser, server);
  await login(page, hillAdmin);
  await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Schools' }).count(), 0, 'a school admin has no list of schools');

  for (const screenPath of ['today', 'people', 'devices', 'register', 'settings', 'audit']) {
    await page.goto(`/schools/${lake}/${screenPath}`);
    await page.getByRole('heading', { name: /There is nothing here/, level: 1 }).waitFor();
    assert.equal(await page.getByText('Secret Pupil').count(), 0);
    assert.equal(await page.getByText('Lake gate').count(), 0);
    assert.equal(await page.getByText('Lake Academy').count(), 0);
  }
  await screen(page, out, 'not-found');
  await page.goto('/admin/schools');
  await page.getByRole('heading', { name: /There is nothing here/, level: 1 }).waitFor();

  // The super admin sees both schools, and each school's screens.
  const root = await newPage(browser, server);
  await login(root, 'root@example.org');
  await root.getByRole('heading', { name: 'Schools', level: 1 }).waitFor();
  await root.locator('tr[data-school="Lake Academy"]').waitFor();
  await root.locator('tr[data-school="Hill School"]').waitFor();
  await screen(root, out, 'schools');
  await root.getByRole('link', { name: 'Lake Academy' }).click();
  await root.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
  await root.getByRole('link', { name: 'People' }).click();
  await root.locator('tr[data-person="Secret Pupil"]').waitFor();
  assert.deepEqual(page.problems.filter((p) => !/404/.test(p)), []);
  assert.deepEqual(root.problems, []);
}
