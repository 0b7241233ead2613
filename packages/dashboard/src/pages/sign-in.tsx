/**
 * Sign-in: paste a Bearer token, or, on the embedded service opened from this machine, sign
 * in locally (the service mints the token `npm run token` would print).
 */
import { useEffect, useState } from 'preact/hooks';
import { localSignIn, type LocalSignIn } from '../api';
import { ErrorNote, Field } from '../components';
import { isProjectId, sessionOf, type Session } from '../session';

/** The README walk-through's ids, so a first local sign-in needs no typing. */
const EXAMPLE_TENANT = '11111111-1111-4111-8111-111111111111';
const EXAMPLE_PROJECT = '22222222-2222-4222-8222-222222222222';

export function SignInPage({ onSignedIn, notice }: { onSignedIn: (session: Session) => void; notice: string | null }) {
  const [token, setToken] = useState('');
  const [project, setProject] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<{ available: boolean; reason: string | null } | null>(null);
  const [localForm, setLocalForm] = useState<LocalSignIn>({ tenantId: EXAMPLE_TENANT, projectId: EXAMPLE_PROJECT, subject: 'local-user', role: 'operator' });
  const [localError, setLocalError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void localSignIn.availability().then(setLocal, () => setLocal({ available: false, reason: null }));
  }, []);

  const parsed = token.trim() ? sessionOf(token) : null;
  const parsedSession = parsed !== null && typeof parsed !== 'string' ? parsed : null;
  const needsProject = parsedSession !== null && !parsedSession.projectId;

  const signInWithToken = (event: Event) => {
    event.preventDefault();
    const session = sessionOf(token, needsProject ? project : null);
    if (typeof session === 'string') return setError(session);
    if (!isProjectId(session.projectId)) return setError('Name the project to open (a GUID the token grants)');
    if (!session.projects.includes('*') && !session.projects.includes(session.projectId)) return setError('The token does not grant this project');
    onSignedIn(session);
  };

  const signInLocally = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setLocalError(null);
    try {
      const minted = await localSignIn.mint(localForm);
      const session = sessionOf(minted.token, localForm.projectId === '*' ? null : localForm.projectId);
      if (typeof session === 'string') throw new Error(session);
      if (!session.projectId) throw new Error('Name one project to open');
      onSignedIn(session);
    } catch (caught) {
      setLocalError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>Job execution dashboard</h1>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <div class="cards">
        <section class="card" aria-labelledby="token-sign-in">
          <h2 id="token-sign-in">Sign in with a token</h2>
          <form onSubmit={signInWithToken}>
            <Field label="Bearer token" hint="A JWT for this service; kept in this tab only, until you sign out or close it.">
              <textarea name="token" rows={4} required value={token} onInput={(e) => setToken(e.currentTarget.value)} autoComplete="off" spellcheck={false} />
            </Field>
            {parsedSession && needsProject ? (
              <Field label="Project" hint="The token grants several projects: which one to open.">
                {parsedSession.projects.includes('*')
                  ? <input name="project" required value={project} onInput={(e) => setProject(e.currentTarget.value)} placeholder="project GUID" />
                  : (
                    <select name="project" required value={project} onChange={(e) => setProject(e.currentTarget.value)}>
                      <option value="">Choose…</option>
                      {parsedSession.projects.map((p) => <option key={p} value={p}>{p}</option>)}
                    </select>
                  )}
              </Field>
            ) : null}
            {typeof parsed === 'string' ? <p class="field-hint">{parsed}</p> : null}
            <ErrorNote error={error} />
            <button type="submit">Sign in</button>
          </form>
        </section>
        {local?.available ? (
          <section class="card" aria-labelledby="local-sign-in">
            <h2 id="local-sign-in">Local sign-in</h2>
            <p class="field-hint">This service runs on the embedded store and you are on its machine: it signs a token for you.</p>
            <form onSubmit={signInLocally}>
              <Field label="Tenant">
                <input name="tenantId" required value={localForm.tenantId} onInput={(e) => setLocalForm({ ...localForm, tenantId: e.currentTarget.value })} />
              </Field>
              <Field label="Project">
                <input name="projectId" required value={localForm.projectId} onInput={(e) => setLocalForm({ ...localForm, projectId: e.currentTarget.value })} />
              </Field>
              <Field label="Your name" hint="Shown as submittedBy">
                <input name="subject" required value={localForm.subject} onInput={(e) => setLocalForm({ ...localForm, subject: e.currentTarget.value })} />
              </Field>
              <Field label="Role">
                <select name="role" value={localForm.role} onChange={(e) => setLocalForm({ ...localForm, role: e.currentTarget.value as LocalSignIn['role'] })}>
                  <option value="viewer">viewer (reads)</option>
                  <option value="operator">operator (also submits, cancels, retries, uploads)</option>
                  <option value="admin">admin (also Critical priority)</option>
                </select>
              </Field>
              <ErrorNote error={localError} />
              <button type="submit" disabled={busy}>Sign in locally</button>
            </form>
          </section>
        ) : local?.reason ? <p class="field-hint">Local sign-in: {local.reason}.</p> : null}
      </div>
    </main>
  );
}
