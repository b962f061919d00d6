// Live checking for a textarea on the page, with the extension's own
// Controller (underlines through the mirror overlay, status chip, cards and
// one-click fixes) and a list of findings beside the box.
import { Controller, type Env } from '../../../../extension/src/content/controller';
import { makeEditor } from '../../../../extension/src/content/editor';
import type { Finding, LintContext, RuleInfo } from '../../../../extension/src/shared/types';
import type { PolicyClient } from '../../../../extension/src/shared/policy-client';
import { policy } from './policy';
import { h } from './dom';

export interface Checked {
  ctrl: Controller;
  rules: Map<string, RuleInfo>;
  /** Called after every change of what is drawn. */
  onChange(fn: (findings: Finding[], text: string) => void): void;
  fix(f: Finding): void;
}

export async function check(ta: HTMLTextAreaElement, ctx: () => LintContext, openPicker: () => void = () => {}): Promise<Checked> {
  const p = await policy();
  const env: Env = {
    policy: p.client as unknown as PolicyClient,
    ctx,
    disabled: () => new Set<string>(),
    rules: () => p.rules,
    openPicker: () => openPicker(),
  };
  const ctrl = new Controller(makeEditor({ el: ta, host: ta, kind: 'textarea' }), env);
  const subs: ((f: Finding[], t: string) => void)[] = [];
  let last: Finding[] | null = null;
  let lastText = '';
  const loop = () => {
    const text = ta.value;
    if (ctrl.findings !== last || text !== lastText) {
      last = ctrl.findings;
      lastText = text;
      for (const s of subs) s(ctrl.findings, text);
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  return {
    ctrl,
    rules: p.rules,
    onChange(fn) { subs.push(fn); fn(ctrl.findings, ta.value); },
    fix(f) {
      if (!f.fix) return;
      if (ta.value.slice(f.start, f.end) === '' && f.end > f.start) return;
      ctrl.closeCard();
      ctrl.editor.replace(f.start, f.end, f.fix.replacement);
    },
  };
}

/** cardList renders findings as cards with Show and Fix buttons. */
export function cardList(list: HTMLElement, c: Checked, findings: Finding[], text: string, empty: string): void {
  const p = c.rules;
  list.replaceChildren();
  if (!findings.length) {
    list.append(h('li', { class: 'none' }, empty));
    return;
  }
  findings.forEach((f, i) => {
    const rule = p.get(f.rule);
    const quote = text.slice(f.start, f.end);
    const li = h('li', { class: `pcard ${f.severity}`, 'data-rule': f.rule },
      h('div', { class: 'top-line' },
        h('span', { class: 'ttl' }, rule?.title ?? f.rule),
        h('span', { class: 'rule' }, `${f.severity} · ${f.rule}`)),
      h('p', {}, f.message, ' ', quote && quote.length < 80 && quote !== text ? h('span', { class: 'quote' }, quote) : ''),
    );
    if (rule?.rationale) li.append(h('p', { class: 'why' }, rule.rationale));
    const acts = h('div', { class: 'acts' });
    if (f.fix) {
      const r = f.fix.replacement;
      const b = h('button', { type: 'button', class: 'btn small primary fixbtn' }, r ? `Replace with “${r.length > 30 ? r.slice(0, 30) + '…' : r}”` : 'Remove it');
      b.addEventListener('click', () => c.fix(f));
      acts.append(b);
    }
    if (f.end > f.start && !(f.start <= 0 && f.end >= text.length)) {
      const s = h('button', { type: 'button', class: 'btn small' }, 'Show in text');
      s.addEventListener('click', () => { c.ctrl.editor.select(f.start, f.end); c.ctrl.openCard(i, false); });
      acts.append(s);
    }
    if (acts.childElementCount) li.append(acts);
    list.append(li);
  });
}

