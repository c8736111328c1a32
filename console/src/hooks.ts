import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** How often a page asks again, so states that move on the server (creating → create_succ) show up. */
export const POLL_MS = 1000;

export interface Polled<T> {
  data: T | undefined;
  error: Error | undefined;
  /** Ask now (after an action), without waiting for the next round. */
  reload: () => void;
}

/**
 * Loads `load()` now and every `POLL_MS` while the page shows, keeping the last answer on screen; `keys`
 * restart it (another namespace). A slow answer never overwrites a newer one.
 */
export function usePoll<T>(load: () => Promise<T>, keys: unknown[], every: number | false = POLL_MS): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: Error }>({});
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(() => {
    const ticket = ++latest.current;
    loadRef.current().then(
      (data) => ticket === latest.current && setState({ data }),
      (error: Error) => ticket === latest.current && setState((s) => ({ data: s.data, error })),
    );
  }, []);

  useEffect(() => {
    setState({});
    reload();
    if (every === false) return () => void latest.current++;
    const timer = setInterval(reload, every);
    return () => {
      clearInterval(timer);
      latest.current++;
    };
  }, keys);

  return { data: state.data, error: state.error, reload };
}

/** The page the URL's fragment names (`#/namespaces/3` → `/namespaces/3`). */
export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** The page part of the fragment; what follows `?` is the page's own state (`routeQuery`). */
function currentRoute(): string {
  return location.hash.replace(/^#/, '').split('?')[0] || '/';
}

/** `#/catalog?q=4000112` → `q=4000112`. */
export function routeQuery(): URLSearchParams {
  return new URLSearchParams(location.hash.split('?')[1] ?? '');
}

export function navigate(route: string): void {
  location.hash = route;
}
