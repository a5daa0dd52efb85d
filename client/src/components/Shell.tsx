import type { ReactNode } from 'react';
import type { LiveState } from '../lib/live';
import { Link } from '../lib/router';

const NAV = [
  { href: '/', label: 'Check in' },
  { href: '/board', label: 'Board' },
  { href: '/staff', label: 'Staff' },
  { href: '/developers', label: 'Developers' },
];

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true">
      <circle cx="16" cy="16" r="15" fill="currentColor" />
      <path d="M7 21h18M9 20a7 7 0 0 1 14 0M16 11v2" stroke="#fff" strokeWidth="2" strokeLinecap="round" fill="none" />
    </svg>
  );
}

/** The page frame: brand, optional navigation, the live-connection state and the content. */
export function Shell({
  children,
  live,
  nav = true,
  actions,
  variant,
}: {
  children: ReactNode;
  live?: LiveState;
  nav?: boolean;
  actions?: ReactNode;
  variant?: 'narrow' | 'wide' | 'board';
}) {
  const path = window.location.pathname;
  return (
    <div className={`shell shell-${variant ?? 'wide'}`}>
      <header className="topbar">
        <Link href="/" className="brand">
          <Logo />
          <span>Maitred</span>
        </Link>
        {nav && (
          <nav aria-label="Main">
            {NAV.map((item) => (
              <Link key={item.href} href={item.href} aria-current={path === item.href ? 'page' : undefined}>
                {item.label}
              </Link>
            ))}
          </nav>
        )}
        <div className="topbar-end">
          {live && <LiveBadge state={live} />}
          {actions}
        </div>
      </header>
      {live === 'reconnecting' && (
        <div className="banner banner-warn" role="status">
          Connection lost. Reconnecting… what you see may be out of date.
        </div>
      )}
      <main className="content">{children}</main>
    </div>
  );
}

export function LiveBadge({ state }: { state: LiveState }) {
  const text = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Offline', unauthorized: 'Not authorised' }[state];
  return (
    <span className={`live live-${state}`} title={state === 'live' ? 'Receiving live updates' : text}>
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
}
