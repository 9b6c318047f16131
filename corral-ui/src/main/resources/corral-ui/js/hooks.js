// Data loading for the pages: fetch once, then again whenever the cluster changes (see api.js).
import { useEffect, useRef, useState } from 'preact/hooks';
import { onClusterChange } from './api.js';

/**
 * Runs loader() now, whenever a key in deps changes, when live after every (debounced) cluster change, and
 * every `every` ms when that is set.
 * Keeps the last good data while a refetch runs or fails, so tables do not flicker.
 */
export function useLive(loader, deps = [], { live = true, every = 0 } = {}) {
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
    // Some APIs (jobs, agents' maintenance) send no events: those pages also poll.
    const timer = every > 0 ? setInterval(() => run.current(), every) : null;
    return () => { alive = false; stop(); clearInterval(timer); };
  }, deps);
  return { ...state, reload: () => run.current && run.current() };
}
