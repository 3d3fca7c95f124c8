// The school screens beyond Today and Devices, by path (app.tsx routes them).

import type { JSX } from 'preact';
import type { School } from '../api/types';
import { Register } from './register';
import { Settings } from './settings';
import { Unmapped } from './unmapped';

type SchoolScreen = (p: { sid: number; school: School; params: Record<string, string> }) => JSX.Element;

export const SCREENS: [string, SchoolScreen][] = [
  ['/schools/:sid/unmapped', (p) => <Unmapped sid={p.sid} />],
  ['/schools/:sid/register', (p) => <Register sid={p.sid} school={p.school} />],
  ['/schools/:sid/settings', (p) => <Settings sid={p.sid} school={p.school} />],
];
