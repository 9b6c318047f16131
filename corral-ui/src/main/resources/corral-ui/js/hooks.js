// Data loading for the pages: fetch once, then again whenever the cluster changes (see api.js).
import { useEffect, useRef, useState } from 'preact/hooks';
import { onClusterChange } from './api.js';

/**
 * Runs loader() now, whenever a key in deps changes and, when live, after every (debounced) cluster change.
 * Keeps the last good data while a refetch runs or fails, so tables do not flicker.
 */
export function useLive(loader, deps = [], { live = true } = {}) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const latest = useRef(loader);
  latest.current = loader;
  const run = useRef(null);
  useEffect(() => {
    let alive = true;
    let seq = 0;
    run.current = async () => {
      const mine = ++seq;
      try {
        const data = await latest.current();
        if (alive && mine === seq) setState({ data, error: null, loading: false });
      } catch (error) {
        if (alive && mine === seq) setState((s) => ({ data: s.data, error, loading: false }));
      }
    };
    setState((s) => ({ ...s, loading: true }));
    run.current();
    const stop = live ? onClusterChange(() => run.current()) : () => {};
    return () => { alive = false; stop(); };
  }, deps);
  return { ...state, reload: () => run.current && run.current() };
}
