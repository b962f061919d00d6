// Search as you type: the server renders the result list (the same
// template as the full page) and the script swaps it in, so a page of 50
// entries costs one small request and no client-side rendering code.
import { $ } from './dom';

export function history(): void {
  const form = $('#hist-form') as HTMLFormElement | null;
  if (!form) return;
  let ctl: AbortController | null = null;
  let seq = 0;
  const run = async () => {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v !== '') params.set(k, v);
    const qs = params.toString();
    const url = '/history' + (qs ? `?${qs}` : '');
    ctl?.abort();
    ctl = new AbortController();
    const my = ++seq;
    try {
      const r = await fetch(url, { headers: { 'X-Partial': '1' }, signal: ctl.signal, credentials: 'same-origin' });
      const html = await r.text();
      if (my !== seq) return;
      const old = $('#results');
      if (!old) return;
      const tpl = document.createElement('template');
      tpl.innerHTML = html;
      const fresh = tpl.content.firstElementChild;
      if (fresh) old.replaceWith(fresh);
      history_replace(url);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') console.warn('search failed', e);
    }
  };
  let t = 0;
  const soon = (ms: number) => { clearTimeout(t); t = window.setTimeout(run, ms); };
  form.addEventListener('input', (e) => soon((e.target as HTMLElement).id === 'q' ? 120 : 0));
  form.addEventListener('change', () => soon(0));
  form.addEventListener('submit', (e) => { e.preventDefault(); soon(0); });
}

function history_replace(url: string): void {
  window.history.replaceState(null, '', url);
}
