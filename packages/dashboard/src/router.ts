/** Pages by the location's hash (#/jobs, #/jobs/<id>, #/system, #/datasets): no server routes needed. */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'jobs' }
  | { page: 'job'; jobId: string }
  | { page: 'system' }
  | { page: 'datasets' };

export function routeOf(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'jobs' && parts[1]) return { page: 'job', jobId: decodeURIComponent(parts[1]) };
  if (parts[0] === 'system') return { page: 'system' };
  if (parts[0] === 'datasets') return { page: 'datasets' };
  return { page: 'jobs' };
}

export function hrefOf(route: Route): string {
  return route.page === 'job' ? `#/jobs/${encodeURIComponent(route.jobId)}` : `#/${route.page}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const changed = () => setRoute(routeOf(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
