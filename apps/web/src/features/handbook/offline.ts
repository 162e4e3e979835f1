/**
 * Keeping the handbook on this device: the service worker (public/handbook-sw.js, scope
 * /handbook) answers the handbook's pages, their scripts and styles and /api/v1/handbook* from
 * its cache when the network is gone, and nothing else. A page's first visit happens before
 * the worker controls it, so the page tells the worker what it has loaded (its own address and
 * the same-origin files it used) and the worker stores those too.
 */
import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';

export type OfflineState = 'pending' | 'saved' | 'unsupported';

/** What this page loaded that the worker may keep: our own scripts, styles, catalogue chunks and handbook data. */
function loadedHere(): string[] {
  const urls = performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === location.origin)
    .filter(
      (u) =>
        u.pathname.startsWith('/assets/') || u.pathname.startsWith('/api/v1/handbook') || u.pathname === '/favicon.svg',
    )
    .filter((u) => !u.pathname.endsWith('.pdf'))
    .map((u) => u.pathname + u.search);
  return [...new Set([location.pathname, ...urls])];
}

/** Registers the worker and asks it to keep what this page shows; 'saved' once it has. */
export function useOfflineCopy(): OfflineState {
  const [state, setState] = useState<OfflineState>('pending');
  const location = useLocation();
  useEffect(() => {
    if (!('serviceWorker' in navigator) || !('caches' in window)) {
      setState('unsupported');
      return;
    }
    let cancelled = false;
    // After the page's own data has arrived: give its requests a moment to finish.
    const timer = window.setTimeout(() => {
      void (async () => {
        try {
          await navigator.serviceWorker.register('/handbook-sw.js', { scope: '/handbook' });
          const ready = await navigator.serviceWorker.ready;
          const worker = ready.active;
          if (!worker || cancelled) return;
          const channel = new MessageChannel();
          channel.port1.onmessage = (e: MessageEvent<{ saved?: boolean }>) => {
            if (!cancelled && e.data.saved) setState('saved');
          };
          worker.postMessage({ type: 'keep', urls: loadedHere() }, [channel.port2]);
        } catch {
          if (!cancelled) setState('unsupported');
        }
      })();
    }, 300);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [location.pathname, location.search]);
  return state;
}
