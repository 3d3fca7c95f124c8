// The school's live events (GET /api/v1/schools/{sid}/events, Server-Sent Events): a punch at the gate, a
// register day that changed, a device that went silent or came back. The browser reconnects by itself; the
// screens re-read what an event concerns rather than patching their data from it, so they stay exactly what
// the API answers.

import { useEffect, useRef, useState } from 'preact/hooks';

export type LiveEvent = 'punch' | 'register' | 'device';

/**
 * Calls onEvent (at most once per `settleMs`, after the first event of a burst) whenever one of `events`
 * arrives for the school, with the kinds that arrived, so a screen re-reads only what they concern; answers
 * whether the stream is open.
 */
export function useLive(
  sid: number,
  events: LiveEvent[],
  onEvent: (arrived: Set<LiveEvent>) => void,
  settleMs = 150,
): boolean {
  const [open, setOpen] = useState(false);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const source = new EventSource(`/api/v1/schools/${sid}/events`);
    let timer: number | undefined;
    let arrived = new Set<LiveEvent>();
    const fire = (e: Event) => {
      arrived.add(e.type as LiveEvent);
      if (timer !== undefined) return;
      timer = window.setTimeout(() => {
        timer = undefined;
        const kinds = arrived;
        arrived = new Set();
        handler.current(kinds);
      }, settleMs);
    };
    source.onopen = () => setOpen(true);
    source.onerror = () => setOpen(source.readyState === EventSource.OPEN);
    for (const e of events) source.addEventListener(e, fire);
    return () => {
      if (timer !== undefined) window.clearTimeout(timer);
      source.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sid, events.join(',')]);
  return open;
}
