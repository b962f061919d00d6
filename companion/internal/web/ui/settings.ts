// Pairing and unpairing through the companion's JSON API, with the CSRF token.
import { $, $$, api } from './dom';

export function settings(): void {
  const btn = $('#pair-new') as HTMLButtonElement | null;
  const code = $('#pair-code');
  const exp = $('#pair-exp');
  const err = $('#pair-err');
  let timer = 0;
  btn?.addEventListener('click', async () => {
    btn.disabled = true;
    err!.textContent = '';
    try {
      const r = await api('POST', '/api/pairing-codes');
      code!.textContent = r.code;
      const until = Date.parse(r.expires);
      clearInterval(timer);
      const tick = () => {
        const left = Math.max(0, Math.round((until - Date.now()) / 1000));
        exp!.textContent = left > 0 ? `valid for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}, once` : 'expired: show a new code';
        if (!left) { clearInterval(timer); code!.textContent = '– – – –  – – – –'; }
      };
      tick();
      timer = window.setInterval(tick, 1000);
      btn.textContent = 'Show a new code';
    } catch (e) {
      err!.textContent = `Could not make a code: ${(e as Error).message}`;
    } finally {
      btn.disabled = false;
    }
  });
  for (const b of $$('button.revoke') as HTMLButtonElement[]) {
    b.addEventListener('click', async () => {
      if (!confirm(`Revoke “${b.dataset['name']}”? That browser must pair again to use the companion.`)) return;
      b.disabled = true;
      try {
        await api('DELETE', `/api/clients/${encodeURIComponent(b.dataset['id']!)}`);
        const li = b.closest('li')!;
        const ul = li.parentElement!;
        li.remove();
        if (!ul.children.length) { const p = document.createElement('p'); p.className = 'empty'; p.textContent = 'No browser is paired yet.'; ul.replaceWith(p); }
      } catch (e) {
        b.disabled = false;
        err!.textContent = `Could not revoke: ${(e as Error).message}`;
      }
    });
  }
}
