// The local page's script: one bundle, one small module per page. Pages are
// complete without it (server-rendered); it adds live countdowns,
// search-as-you-type, live policy checks and the pairing flow.
import { dashboard } from './dashboard';
import { history } from './history';
import { templatesList, editor } from './templates';
import { playground } from './playground';
import { settings } from './settings';
import { $$ } from './dom';

function common(): void {
  // Forms that destroy something ask first.
  for (const f of $$('form.confirm') as HTMLFormElement[]) {
    f.addEventListener('submit', (e) => { if (!confirm(f.dataset['confirm'] ?? 'Are you sure?')) e.preventDefault(); });
  }
  document.getElementById('print-btn')?.addEventListener('click', () => print());
  const checks = document.getElementById('show-checks') as HTMLInputElement | null;
  checks?.addEventListener('change', () => document.body.classList.toggle('with-checks', checks.checked));
}

const pages: Record<string, () => void | Promise<void>> = {
  dashboard, history, templates: templatesList, editor, playground, settings,
};

function start(): void {
  common();
  const run = pages[document.body.dataset['page'] ?? ''];
  if (!run) return;
  Promise.resolve(run()).catch((e: Error) => {
    console.error(e);
    const b = document.createElement('div');
    b.className = 'banner bad';
    b.setAttribute('role', 'alert');
    b.textContent = `Part of this page could not start: ${e.message}`;
    document.getElementById('main')?.prepend(b);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
