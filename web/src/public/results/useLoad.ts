import { useCallback, useEffect, useState } from 'react';
import { call } from '../http';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload: () => void;
}

/** GET one public endpoint; `reload` tries again after a failure. A null path loads nothing. */
export function useLoad<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (path === null) return;
    let live = true;
    setError(null);
    call<T>('GET', path).then(
      (value) => {
        if (live) setData(value);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [path, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, reload };
}
