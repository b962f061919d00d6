// The template picker: a searchable list whose first entries answer the
// scenario of the buyer's message (classified by policy.wasm). Inserting
// fills placeholders from the page and selects the first one left to fill;
// Tab then walks the rest.

import type { Template } from '../shared/types';
import type { Controller } from './controller';
import { fill, vars, type Field, type PageValues } from './placeholders';
import type { Part, Slot } from './render';
import { announce, getUi, h } from './ui';

export interface TemplateEntry extends Template { fields?: Field[]; parts?: Part[]; scenarios?: string[]; kind?: string }

export interface PickerDeps {
  list(): Promise<TemplateEntry[]>;
  get(id: string): Promise<TemplateEntry | undefined>;
  scenario(): Promise<string | undefined>;
  /** "reply" on a thread, "proactive" on Contact Buyer: templates of the other kind sort last. */
  kind: 'reply' | 'proactive';
  values(): PageValues;
  /** render asks the companion to fill a template it holds; undefined when it cannot. */
  render?(id: string, vars: Record<string, string | undefined>): Promise<{ text: string; unfilled?: Slot[] } | undefined>;
}

let open: { close(): void } | null = null;

export function closePicker(): void { open?.close(); }

export async function openPicker(c: Controller, deps: PickerDeps): Promise<void> {
  closePicker();
  const ui = getUi();
  const sel = c.editor.getSelection() ?? { start: c.editor.getText().length, end: c.editor.getText().length };
  const [all, scenario] = await Promise.all([deps.list(), deps.scenario().catch(() => undefined)]);
  const matches = (t: TemplateEntry) => !!scenario && scenario !== 'other' && (t.scenario === scenario || (t.scenarios ?? []).includes(scenario));
  // Templates made for the scenario (listed first) before those that also cover it, then the rest.
  const rank = (t: TemplateEntry) => (!matches(t) ? 2 : (t.scenarios?.[0] ?? t.scenario) === scenario ? 0 : 1) + (t.kind && t.kind !== deps.kind ? 3 : 0);
  const ordered = all.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map((x) => x.t);

  const input = h('input', { type: 'search', placeholder: 'Search templates…', 'aria-label': 'Search templates', role: 'combobox', 'aria-expanded': 'true', 'aria-autocomplete': 'list' });
  const listId = `rg-tpl-${Date.now()}`;
  input.setAttribute('aria-controls', listId);
  const ul = h('ul', { role: 'listbox', id: listId, 'aria-label': 'Templates' });
  const hint = h('div', { class: 'hint' }, scenario && scenario !== 'other' ? `Buyer message looks like “${scenario}”: matching templates first. ` : '', 'Enter inserts · Esc closes · Tab moves between blanks');
  const box = h('div', { class: 'picker', role: 'dialog', 'aria-label': 'ReplyGuard templates', 'aria-modal': 'true' }, input, ul, hint);
  ui.layer.append(box);

  const r = c.editor.host.getBoundingClientRect();
  box.style.left = `${Math.max(8, Math.min(r.left, innerWidth - 440))}px`;
  box.style.top = `${Math.max(8, r.top + 8 > innerHeight - 430 ? innerHeight - 430 : r.top + 8)}px`;

  let shown: TemplateEntry[] = [];
  let active = 0;
  const render = () => {
    const q = input.value.trim().toLowerCase();
    shown = ordered.filter((t) => !q || `${t.title} ${t.scenario} ${(t.scenarios ?? []).join(' ')} ${t.id} ${t.body ?? ''}`.toLowerCase().includes(q));
    active = Math.min(active, Math.max(0, shown.length - 1));
    ul.replaceChildren(...shown.map((t, i) => {
      const li = h('li', { role: 'option', id: `${listId}-${i}`, 'aria-selected': String(i === active), 'data-id': t.id, 'data-scenarios': (t.scenarios ?? [t.scenario]).join(' ') },
        h('div', { class: 't' }, t.title, ...(matches(t) ? [h('span', { class: 'badge' }, 'suggested')] : [])),
        h('div', { class: 's' }, [t.scenario, t.language].filter(Boolean).join(' · ')));
      li.addEventListener('mousedown', (e) => e.preventDefault());
      li.addEventListener('click', () => { active = i; void choose(); });
      return li;
    }));
    if (!shown.length) ul.append(h('li', { role: 'option', 'aria-disabled': 'true' }, all.length ? 'No template matches.' : 'No templates available.'));
    input.setAttribute('aria-activedescendant', shown.length ? `${listId}-${active}` : '');
    ul.children[active]?.scrollIntoView({ block: 'nearest' });
  };

  const close = () => {
    box.remove();
    document.removeEventListener('mousedown', outside, true);
    if (open?.close === close) open = null;
  };
  const outside = (e: MouseEvent) => { if (!e.composedPath().includes(box)) close(); };
  document.addEventListener('mousedown', outside, true);
  open = { close };

  const choose = async () => {
    const pick = shown[active];
    if (!pick) return;
    const full = pick.body ? pick : await deps.get(pick.id);
    if (!full?.body) { announce('That template could not be loaded.'); return; }
    close();
    // Bundled templates carry their field declarations and render here, at
    // once and offline. A seller's own template from the companion comes
    // with its body only: the companion renders it, with its declarations.
    let r: { text: string; holes: Slot[] } | undefined;
    if (!full.fields && deps.render) {
      const got = await deps.render(full.id, vars(deps.values())).catch(() => undefined);
      if (got && typeof got.text === 'string') r = { text: got.text, holes: got.unfilled ?? [] };
    }
    const { text, holes } = r ?? fill(full, deps.values());
    c.editor.replace(sel.start, sel.end, text);
    c.templateId = full.id;
    c.markers = holes.map((h) => text.slice(h.start, h.end));
    if (holes.length) {
      c.holesActive = true;
      const first = holes[0]!;
      c.editor.select(sel.start + first.start, sel.start + first.end);
      announce(`Template inserted. ${holes.length} blank${holes.length > 1 ? 's' : ''} to fill: ${first.label} selected. Tab moves to the next.`);
    } else {
      announce('Template inserted.');
      c.editor.el.focus();
    }
  };

  input.addEventListener('input', () => { active = 0; render(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); active = Math.min(active + 1, shown.length - 1); render(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); active = Math.max(active - 1, 0); render(); }
    else if (e.key === 'Enter') { e.preventDefault(); void choose(); }
    else if (e.key === 'Escape') { e.preventDefault(); close(); c.editor.select(sel.start, sel.end); }
  });
  render();
  input.focus();
}
