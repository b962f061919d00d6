// Options: companion address and pairing, send guard, per-rule on/off, status.
import { PolicyClient } from '../shared/policy-client';
import { loadSettings, saveSettings } from '../shared/types';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function refresh(): Promise<void> {
  const st = await chrome.runtime.sendMessage({ to: 'worker', type: 'status' });
  const el = $('state');
  el.dataset['state'] = st.state;
  el.textContent = st.state;
  $('detail').textContent = st.detail ?? '';
  $('queue').textContent = `${st.queued} message${st.queued === 1 ? '' : 's'} waiting for the companion` + (st.rejected ? `, ${st.rejected} rejected by it (kept locally)` : '') + (st.lastConnected ? ` · last connected ${new Date(st.lastConnected).toLocaleString()}` : '');
  ($('clink') as HTMLAnchorElement).href = `http://${st.address}/`;
}

async function main(): Promise<void> {
  const s = await loadSettings();
  const addr = $<HTMLInputElement>('address');
  addr.value = s.companionAddress;
  const guard = $<HTMLInputElement>('guard');
  guard.checked = s.sendGuard;
  guard.addEventListener('change', () => void saveSettings({ sendGuard: guard.checked }));
  addr.addEventListener('change', () => void saveSettings({ companionAddress: addr.value.trim() }));

  const msg = $('msg');
  $('pair').addEventListener('click', async () => {
    msg.className = ''; msg.textContent = 'Pairing…';
    const r = await chrome.runtime.sendMessage({ to: 'worker', type: 'pair', address: addr.value.trim(), code: $<HTMLInputElement>('code').value });
    if (r?.ok) { msg.className = 'ok'; msg.textContent = 'Paired.'; $<HTMLInputElement>('code').value = ''; }
    else { msg.className = 'err'; msg.textContent = `Pairing failed: ${r?.error ?? 'no answer'}`; }
    await refresh();
  });
  $('reconnect').addEventListener('click', async () => { await chrome.runtime.sendMessage({ to: 'worker', type: 'reconnect' }); await refresh(); });
  $('unpair').addEventListener('click', async () => { await chrome.runtime.sendMessage({ to: 'worker', type: 'unpair' }); await refresh(); });

  const box = $('rules');
  try {
    const { rules, version } = await new PolicyClient().rules();
    $('pv').textContent = `policy ${version}, ${rules.length} rules`;
    const off = new Set(s.disabledRules);
    for (const r of rules) {
      const l = document.createElement('label');
      const c = document.createElement('input');
      c.type = 'checkbox'; c.checked = !off.has(r.id); c.dataset['rule'] = r.id;
      c.addEventListener('change', async () => {
        const cur = new Set((await loadSettings()).disabledRules);
        if (c.checked) cur.delete(r.id); else cur.add(r.id);
        await saveSettings({ disabledRules: [...cur] });
      });
      const sev = document.createElement('span');
      sev.className = 'sev'; sev.textContent = ` ${r.severity}`;
      l.append(c, ` ${r.title || r.id} `, sev);
      l.title = r.rationale;
      box.append(l);
    }
  } catch (e) {
    box.textContent = `Rules unavailable: ${(e as Error).message}`;
  }
  await refresh();
  setInterval(() => void refresh(), 3000);
}
void main();
