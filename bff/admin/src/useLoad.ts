/** Loads data for a page whenever its inputs change; a late answer for old inputs is dropped. */
import { useEffect, useState, type DependencyList } from 'react';

export function useLoad<T>(load: () => Promise<T>, deps: DependencyList) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let current = true;
    setLoading(true);
    load()
      .then(
        (value) => {
          if (!current) return;
          setData(value);
          setError(undefined);
        },
        (err: Error) => current && setError(err.message),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
    // The caller lists what the load depends on.
  }, deps);

  return { data, error, loading };
}
