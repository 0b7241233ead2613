/**
 * The signed-in user: a Bearer token kept in this tab's sessionStorage (gone when the tab
 * closes) and what it grants, read from its claims. The claims are only read here to lay out
 * the pages (which tenant, which project, whether to show write controls); the service
 * verifies the token on every request and decides what is allowed.
 */
export type Role = 'viewer' | 'operator' | 'admin';

export interface Session {
  readonly token: string;
  readonly subject: string;
  readonly tenantId: string;
  /** Project ids the token grants, or ['*']. */
  readonly projects: readonly string[];
  readonly roles: readonly Role[];
  readonly expiresAt: Date;
  /** The project the pages show. */
  readonly projectId: string;
}

const TOKEN_KEY = 'pm-dashboard-token';
const PROJECT_KEY = 'pm-dashboard-project';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function base64UrlDecode(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

/** The token's claims as a session, or the reason it cannot be one. */
export function sessionOf(token: string, projectId?: string | null): Session | string {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return 'This is not a token (a JWT has three parts separated by dots)';
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(base64UrlDecode(parts[1]!)) as Record<string, unknown>;
  } catch {
    return 'The token cannot be read';
  }
  const { sub, tenant, projects, roles, exp } = claims;
  if (typeof tenant !== 'string' || !GUID.test(tenant)) return 'The token names no tenant';
  if (!Array.isArray(projects) || projects.length === 0) return 'The token grants no project';
  if (typeof exp !== 'number' || exp * 1000 <= Date.now()) return 'The token has expired';
  const granted = projects.map((p) => String(p).toLowerCase());
  const chosen = projectId?.toLowerCase() ?? (granted.length === 1 && granted[0] !== '*' ? granted[0]! : '');
  return {
    token: token.trim(),
    subject: typeof sub === 'string' ? sub : '',
    tenantId: tenant.toLowerCase(),
    projects: granted,
    roles: Array.isArray(roles) ? roles.filter((r): r is Role => r === 'viewer' || r === 'operator' || r === 'admin') : [],
    expiresAt: new Date(exp * 1000),
    projectId: chosen,
  };
}

export function canWrite(session: Session): boolean {
  return session.roles.includes('operator') || session.roles.includes('admin');
}

export function isProjectId(text: string): boolean {
  return GUID.test(text);
}

export function restoreSession(): Session | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const session = sessionOf(token, sessionStorage.getItem(PROJECT_KEY));
  return typeof session === 'string' ? null : session;
}

export function storeSession(session: Session): void {
  sessionStorage.setItem(TOKEN_KEY, session.token);
  if (session.projectId) sessionStorage.setItem(PROJECT_KEY, session.projectId);
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PROJECT_KEY);
}

/** Datasets uploaded from this browser, per project: the API has no dataset list to ask. */
export function rememberedDatasets(session: Session): { datasetId: string; name: string }[] {
  try {
    return JSON.parse(localStorage.getItem(`pm-dashboard-datasets-${session.tenantId}-${session.projectId}`) ?? '[]');
  } catch {
    return [];
  }
}

export function rememberDataset(session: Session, dataset: { datasetId: string; name: string }): void {
  const list = [dataset, ...rememberedDatasets(session).filter((d) => d.datasetId !== dataset.datasetId)].slice(0, 20);
  localStorage.setItem(`pm-dashboard-datasets-${session.tenantId}-${session.projectId}`, JSON.stringify(list));
}
