// Template list filter and the editor: live underlines with policy.wasm
// (the extension's Controller), a findings list and a live preview with
// sample values rendered by the companion.
import { $, $$, api, debounce, h } from './dom';
import { check } from './findings';
import type { Finding } from '../../../../extension/src/shared/types';

export function templatesList(): void {
  const q = $('#tsearch') as HTMLInputElement | null;
  const rows = $$('#tlist > li');
  const none = $('#tnone');
  if (!q) return;
  q.addEventListener('input', () => {
    const words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const r of rows) {
      const hay = r.dataset['search'] ?? '';
      const ok = words.every((w) => hay.includes(w));
      r.hidden = !ok;
      if (ok) shown++;
    }
    if (none) none.hidden = shown > 0;
  });
}

export async function editor(): Promise<void> {
  const form = $('#editor-form') as HTMLFormElement;
  const body = $('#body') as HTMLTextAreaElement;
  const status = $('#lint-status')!;
  const live = $('#live-findings')!;
  const kind = () => ((form.querySelector('input[name=kind]:checked') as HTMLInputElement | null)?.value ?? 'reply') as 'reply' | 'proactive';
  const c = await check(body, () => ({ kind: kind() }), () => $('#preview')?.focus());
  form.addEventListener('change', (e) => { if ((e.target as HTMLInputElement).name === 'kind') c.ctrl.refresh(); });
  c.onChange((fs, text) => {
    const errors = fs.filter((f) => f.severity === 'error').length;
    const warns = fs.filter((f) => f.severity === 'warning').length;
    status.className = 'lint-status ' + (errors ? 'bad' : 'ok');
    status.textContent = errors
      ? `${errors} error${errors > 1 ? 's' : ''}: this template cannot be saved until ${errors > 1 ? 'they are' : 'it is'} fixed.`
      : warns ? `No errors · ${warns} warning${warns > 1 ? 's' : ''} to review.` : 'No problems found by policy.wasm.';
    renderList(live, fs, text, c);
  });
  // The preview is rendered by the companion (sample values, typed fields).
  const pv = $('#preview')!;
  const pvf = $('#preview-findings')!;
  const update = debounce(async () => {
    const scen = $$('input[name=scenarios]:checked').map((e) => (e as HTMLInputElement).value);
    try {
      const r = await api('POST', '/templates/preview', {
        id: (form.querySelector('input[name=id]') as HTMLInputElement).value,
        title: ($('#title') as HTMLInputElement).value, body: body.value, kind: kind(), scenarios: scen,
      });
      pv.textContent = r.text;
      pvf.replaceChildren(...(r.findings.length ? [findingsUl(r.findings)] : []));
    } catch (e) {
      pvf.replaceChildren(h('p', { class: 'err' }, `Preview failed: ${(e as Error).message}`));
    }
  }, 250);
  body.addEventListener('input', update);
  form.addEventListener('change', update);
}

function findingsUl(fs: Finding[]): HTMLElement {
  return h('ul', { class: 'findings' }, ...fs.map((f) => h('li', { class: `f f-${f.severity}` }, h('span', { class: 'sev' }, f.severity), ' ', h('code', {}, f.rule), ' ', f.message)));
}

function renderList(ul: HTMLElement, fs: Finding[], text: string, c: Awaited<ReturnType<typeof check>>): void {
  ul.replaceChildren();
  if (!fs.length) { ul.append(h('li', { class: 'muted' }, 'None.')); return; }
  fs.forEach((f, i) => {
    const q = text.slice(f.start, f.end);
    const li = h('li', { class: `f f-${f.severity}`, 'data-rule': f.rule }, h('span', { class: 'sev' }, f.severity), ' ', h('code', {}, f.rule), ' ', f.message,
      q && q.length <= 60 && q !== text ? h('span', { class: 'muted' }, ` “${q}”`) : '');
    if (f.end > f.start && q !== text) {
      li.tabIndex = 0;
      const go = () => { c.ctrl.editor.select(f.start, f.end); c.ctrl.openCard(i, false); };
      li.addEventListener('click', go);
      li.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
    }
    ul.append(li);
  });
}
