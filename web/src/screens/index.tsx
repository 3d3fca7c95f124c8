// The school screens beyond Today and Devices, by path (app.tsx routes them).

import type { JSX } from 'preact';
import type { School } from '../api/types';

type SchoolScreen = (p: { sid: number; school: School; params: Record<string, string> }) => JSX.Element;

export const SCREENS: [string, SchoolScreen][] = [];
