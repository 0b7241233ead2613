import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { ExecutionApi } from './api';
import { hrefOf, useRoute, type Route } from './router';
import { clearSession, restoreSession, storeSession, type Session } from './session';
import { SignInPage } from './pages/sign-in';
import { JobsPage } from './pages/jobs';
import { JobPage } from './pages/job';
import { SystemPage } from './pages/system';
import { DatasetsPage } from './pages/datasets';
import './styles.css';

const NAVIGATION: { route: Route; label: string }[] = [
  { route: { page: 'jobs' }, label: 'Queue and jobs' },
  { route: { page: 'system' }, label: 'Nodes and system' },
  { route: { page: 'datasets' }, label: 'Datasets' },
];

function App() {
  const [session, setSession] = useState<Session | null>(restoreSession);
  const [signedOutReason, setSignedOutReason] = useState<string | null>(null);
  const route = useRoute();
  const api = useMemo(() => session && new ExecutionApi(session.token, session.tenantId, session.projectId, (error) => {
    clearSession();
    setSession(null);
    setSignedOutReason(`Signed out: ${error.message}`);
  }), [session]);

  if (!session || !api) {
    return <SignInPage notice={signedOutReason} onSignedIn={(next) => { storeSession(next); setSignedOutReason(null); setSession(next); }} />;
  }
  const current = route.page === 'job' ? 'jobs' : route.page;
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="top">
        <span class="brand">Job execution</span>
        <nav aria-label="Pages">
          <ul>
            {NAVIGATION.map((item) => (
              <li key={item.route.page}>
                <a href={hrefOf(item.route)} aria-current={current === item.route.page ? 'page' : undefined}>{item.label}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who" aria-label="Signed in as">
          <span title={`tenant ${session.tenantId}, project ${session.projectId}`}>
            {session.subject || 'unnamed'} · {session.roles.join(', ') || 'no role'} · project {session.projectId.slice(0, 8)}…
          </span>
          <button type="button" class="secondary" onClick={() => { clearSession(); setSession(null); }}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'jobs' ? <JobsPage api={api} session={session} /> : null}
        {route.page === 'job' ? <JobPage key={route.jobId} api={api} session={session} jobId={route.jobId} /> : null}
        {route.page === 'system' ? <SystemPage api={api} /> : null}
        {route.page === 'datasets' ? <DatasetsPage api={api} session={session} /> : null}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
