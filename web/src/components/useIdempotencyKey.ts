import { useCallback, useRef } from 'react';
import { newIdempotencyKey } from '../api/client';

/**
 * One Idempotency-Key per body: resubmitting the same form after a lost answer repeats the
 * key (the API answers with the first result, e.g. the same task), while a corrected form
 * gets a new one.
 */
export function useIdempotencyKey(): (body: unknown) => string {
  const keys = useRef(new Map<string, string>());
  return useCallback((body: unknown) => {
    const k = JSON.stringify(body);
    let key = keys.current.get(k);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(k, key);
    }
    return key;
  }, []);
}
