import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { navigate, useRoute } from './hooks.ts';
import { onSessionChange, session, signOut } from './session.ts';
import { SignIn } from './pages/signin.tsx';
import { Overview } from './pages/overview.tsx';
import { Namespaces, NamespaceServices } from './pages/namespaces.tsx';
import { CreateMicroservice, MicroserviceDetail } from './pages/microservices.tsx';
import { Repositories, Repository } from './pages/registry.tsx';
import { SecretKeys } from './pages/keys.tsx';
import { Volumes } from './pages/volumes.tsx';
import { PublicIps } from './pages/ips.tsx';
import { LoadBalancers } from './pages/loadbalancers.tsx';
import { RdsInstances } from './pages/rds.tsx';
import { Catalog } from './pages/catalog.tsx';
import { Coverage } from './pages/coverage.tsx';
import { OperatorClock, OperatorFaults, OperatorReset, OperatorSnapshots, OperatorUsers } from './pages/operator.tsx';
import './style.css';

interface PageDef {
  pattern: RegExp;
  render: (m: RegExpMatchArray) => preact.JSX.Element;
  /** Needs: a user token, operator access, or nothing (the catalog). */
  needs: 'user' | 'operator' | 'none';
}

const PAGES: PageDef[] = [
  { pattern: /^\/$/, needs: 'user', render: () => <Overview /> },
  { pattern: /^\/namespaces$/, needs: 'user', render: () => <Namespaces /> },
  { pattern: /^\/namespaces\/(\d+)$/, needs: 'user', render: (m) => <NamespaceServices id={m[1]!} /> },
  { pattern: /^\/namespaces\/(\d+)\/new$/, needs: 'user', render: (m) => <CreateMicroservice namespaceId={m[1]!} /> },
  { pattern: /^\/microservices\/(\d+)$/, needs: 'user', render: (m) => <MicroserviceDetail id={m[1]!} /> },
  { pattern: /^\/repositories$/, needs: 'user', render: () => <Repositories /> },
  { pattern: /^\/repositories\/(\d+)$/, needs: 'user', render: (m) => <Repository id={m[1]!} /> },
  { pattern: /^\/secret-keys$/, needs: 'user', render: () => <SecretKeys /> },
  { pattern: /^\/volumes$/, needs: 'user', render: () => <Volumes /> },
  { pattern: /^\/ips$/, needs: 'user', render: () => <PublicIps /> },
  { pattern: /^\/loadbalancers$/, needs: 'user', render: () => <LoadBalancers /> },
  { pattern: /^\/rds$/, needs: 'user', render: () => <RdsInstances /> },
  { pattern: /^\/catalog$/, needs: 'none', render: () => <Catalog /> },
  { pattern: /^\/operator\/users$/, needs: 'operator', render: () => <OperatorUsers /> },
  { pattern: /^\/operator\/clock$/, needs: 'operator', render: () => <OperatorClock /> },
  { pattern: /^\/operator\/faults$/, needs: 'operator', render: () => <OperatorFaults /> },
  { pattern: /^\/operator\/coverage$/, needs: 'operator', render: () => <Coverage /> },
  { pattern: /^\/operator\/snapshots$/, needs: 'operator', render: () => <OperatorSnapshots /> },
  { pattern: /^\/operator\/reset$/, needs: 'operator', render: () => <OperatorReset /> },
];

const USER_LINKS = [
  ['/', 'Overview'], ['/namespaces', 'Namespaces'], ['/repositories', 'Repositories'], ['/secret-keys', 'Secret keys'],
  ['/volumes', 'Volumes'], ['/ips', 'Public IPs'], ['/loadbalancers', 'Load balancers'], ['/rds', 'RDS'],
] as const;
const OPERATOR_LINKS = [
  ['/operator/users', 'Users'], ['/operator/clock', 'Clock'], ['/operator/faults', 'Fault rules'], ['/operator/coverage', 'Coverage'],
  ['/operator/snapshots', 'Snapshots'], ['/operator/reset', 'Reset'],
] as const;

function App() {
  const route = useRoute();
  const [, setVersion] = useState(0);
  useEffect(() => onSessionChange(() => setVersion((v) => v + 1)), []);
  // A new page moves the focus to its title, so keyboard and screen-reader users start there; the first
  // page leaves it at the document's start, where the skip link is the first stop.
  const signedIn = Boolean(session.token || session.operator);
  const shown = signedIn ? route : '/signin';
  const firstPage = useRef(true);
  useEffect(() => {
    if (firstPage.current) firstPage.current = false;
    else document.getElementById('page-title')?.focus();
  }, [shown]);

  const page = PAGES.map((p) => ({ p, m: route.match(p.pattern) })).find((x) => x.m);
  const allowed = page && (page.p.needs === 'none' || (page.p.needs === 'user' ? session.token : session.operator));
  let content: preact.JSX.Element;
  if (route === '/signin' || !signedIn) content = <SignIn />;
  else if (!page) content = <p>No such page. <a href="#/">Overview</a></p>;
  else if (!allowed) content = <SignIn reason={page.p.needs === 'operator' ? 'The operator pages need operator access.' : 'This page needs an Access Key pair.'} />;
  else content = page.p.render(page.m!);

  const link = ([to, label]: readonly [string, string]) => (
    <li><a href={`#${to}`} aria-current={route === to || (to !== '/' && route.startsWith(`${to}/`)) ? 'page' : undefined}>{label}</a></li>
  );
  return (
    <>
      <a class="skip" href="#main" onClick={(ev) => {
        ev.preventDefault();
        document.getElementById('main')?.focus();
      }}>Skip to content</a>
      <header class="top">
        <a class="brand" href="#/">opencomb</a>
        <span class="who">
          {session.appKey ? <span>Key {session.appKey.slice(0, 8)}…</span> : null}
          {session.operator ? <span>operator</span> : null}
          {signedIn ? <button type="button" onClick={() => {
            signOut();
            navigate('/signin');
          }}>Sign out</button> : null}
        </span>
      </header>
      <div class="layout">
        <nav aria-label="Console">
          {session.token ? <><h2>Cloud</h2><ul>{USER_LINKS.map(link)}</ul></> : null}
          <h2>Operator</h2>
          <ul>{session.operator ? OPERATOR_LINKS.map(link) : link(['/signin', 'Operator sign-in'])}</ul>
          <h2>Reference</h2>
          <ul>{link(['/catalog', 'Error catalog'])}{signedIn ? null : link(['/signin', 'Sign in'])}</ul>
        </nav>
        <main id="main" tabIndex={-1}>{content}</main>
      </div>
    </>
  );
}

render(<App />, document.getElementById('app')!);
