// The frame of every screen after login: the school's name, the menu of its screens, who is logged in.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { isSuper, logout, me, school } from '../session';
import { navigate, onLink, path, pathname } from '../router';
import { t } from '../strings';

interface NavItem {
  href: string;
  label: string;
}

function schoolNav(sid: number): NavItem[] {
  const s = `/schools/${sid}`;
  return [
    { href: `${s}/today`, label: t.nav.today },
    { href: `${s}/register`, label: t.nav.register },
    { href: `${s}/monthly`, label: t.nav.monthly },
    { href: `${s}/reports`, label: t.nav.reports },
    { href: `${s}/people`, label: t.nav.people },
    { href: `${s}/devices`, label: t.nav.devices },
    { href: `${s}/unmapped`, label: t.nav.unmapped },
    { href: `${s}/settings`, label: t.nav.settings },
    { href: `${s}/holidays`, label: t.nav.holidays },
    { href: `${s}/webhooks`, label: t.nav.webhooks },
    { href: `${s}/audit`, label: t.nav.audit },
    { href: `${s}/users`, label: t.nav.users },
  ];
}

export function Layout(props: { sid?: number; title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const items: NavItem[] = [];
  if (isSuper.value) items.push({ href: '/admin/schools', label: t.nav.schools });
  if (props.sid) items.push(...schoolNav(props.sid));
  items.push({ href: '/account', label: t.nav.account });
  const here = pathname(path.value);
  return (
    <div class="frame">
      <a class="skip" href="#main">
        {t.nav.skip}
      </a>
      <header class="top">
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t.nav.menu}
        </button>
        <span class="brand">{t.app.name}</span>
        <span class="school-name">{props.sid && school.value ? school.value.name : ''}</span>
        <span class="who">{me.value?.email}</span>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            void logout().then(() => navigate('/login'));
          }}
        >
          {t.nav.logout}
        </button>
      </header>
      <nav id="nav" class={menuOpen ? 'nav open' : 'nav'} aria-label={t.nav.label}>
        <ul>
          {items.map((i) => (
            <li key={i.href}>
              <a
                href={i.href}
                aria-current={here === i.href || here.startsWith(i.href + '/') ? 'page' : undefined}
                onClick={(e) => {
                  setMenuOpen(false);
                  onLink(e);
                }}
              >
                {i.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <div class="page-head">
          <h1>{props.title}</h1>
          {props.actions && <div class="actions">{props.actions}</div>}
        </div>
        {props.children}
      </main>
    </div>
  );
}
