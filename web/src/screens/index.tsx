// The school screens beyond Today and Devices, by path (app.tsx routes them).

import type { JSX } from 'preact';
import type { School } from '../api/types';
import { Audit } from './audit';
import { Holidays } from './holidays';
import { Monthly } from './monthly';
import { People } from './people';
import { Register } from './register';
import { Reports } from './reports';
import { Settings } from './settings';
import { Unmapped } from './unmapped';
import { Users } from './users';
import { Webhooks } from './webhooks';

type SchoolScreen = (p: { sid: number; school: School; params: Record<string, string> }) => JSX.Element;

export const SCREENS: [string, SchoolScreen][] = [
  ['/schools/:sid/unmapped', (p) => <Unmapped sid={p.sid} />],
  ['/schools/:sid/register', (p) => <Register sid={p.sid} school={p.school} />],
  ['/schools/:sid/settings', (p) => <Settings sid={p.sid} school={p.school} />],
  ['/schools/:sid/people', (p) => <People sid={p.sid} school={p.school} />],
  ['/schools/:sid/holidays', (p) => <Holidays sid={p.sid} />],
  ['/schools/:sid/webhooks', (p) => <Webhooks sid={p.sid} school={p.school} />],
  ['/schools/:sid/audit', (p) => <Audit sid={p.sid} school={p.school} />],
  ['/schools/:sid/users', (p) => <Users sid={p.sid} />],
  ['/schools/:sid/reports', (p) => <Reports sid={p.sid} school={p.school} />],
  ['/schools/:sid/monthly', (p) => <Monthly sid={p.sid} school={p.school} />],
];
