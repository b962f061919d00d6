// The playground: classify a pasted buyer message with policy.wasm, suggest
// templates for its scenario, and check a reply exactly as the extension
// does in Seller Central (underlines, cards, one-click fixes).
import { $, $$, debounce, h } from './dom';
import { check, cardList } from './findings';
import { policy } from './policy';

interface Sample { id: string; title: string; scenarios: string[]; text: string }
interface Data { Labels: Record<string, string>; Templates: Sample[]; Examples: { Label: string; Text: string }[] }

const LIMIT = 4000;

export async function playground(): Promise<void> {
  const data = JSON.parse($('#pg-data')!.textContent!) as Data;
  const buyer = $('#buyer') as HTMLTextAreaElement;
  const reply = $('#reply') as HTMLTextAreaElement;
  const suggest = $('#suggest')!;
  const p = await policy();
  const c = await check(reply, () => ({ kind: 'reply', now: new Date().toISOString() }), () => (suggest.querySelector('button') as HTMLElement | null)?.focus());

  const classify = () => {
    const text = buyer.value.trim();
    const name = $('#scenario-name')!, conf = $('#scenario-conf')!;
    if (!text) { name.textContent = '—'; conf.textContent = 'paste a buyer message'; fillSuggest('', []); return; }
    const r = p.engine.classify(text);
    name.textContent = data.Labels[r.scenario] ?? r.scenario;
    conf.textContent = `confidence ${Math.round(r.confidence * 100)}%${r.order_id ? ` · order ${r.order_id}` : ''}${r.forwarded ? ' · forwarded by Amazon' : ''}`;
    const picks = data.Templates.filter((t) => (t.scenarios ?? []).includes(r.scenario));
    fillSuggest(r.scenario, picks.length ? picks : data.Templates.filter((t) => (t.scenarios ?? []).includes('other')));
  };
  const bind = (b: HTMLElement, t: Sample) => b.addEventListener('click', () => {
    // Through the editor's input path, so Ctrl+Z brings the old text back.
    c.ctrl.editor.replace(0, reply.value.length, t.text);
    reply.focus();
    reply.setSelectionRange(0, 0);
    reply.scrollTop = 0;
  });
  let shown = '';
  const fillSuggest = (scenario: string, picks: Sample[]) => {
    const first = !shown && suggest.querySelector('button[data-template]');
    shown = scenario || '-';
    if (first) {
      // The server rendered the same list: only wire it up.
      for (const b of Array.from(suggest.querySelectorAll<HTMLElement>('button[data-template]'))) {
        const t = data.Templates.find((x) => x.id === b.dataset['template']);
        if (t) bind(b, t);
      }
      return;
    }
    suggest.replaceChildren();
    if (!picks.length) { suggest.append(h('li', { class: 'muted' }, scenario ? 'No template for this scenario yet.' : 'Suggestions appear when there is a message.')); return; }
    for (const t of picks.slice(0, 6)) {
      const b = h('button', { type: 'button', 'data-template': t.id }, h('span', { class: 't' }, t.title), h('span', { class: 's' }, t.text.replace(/\s+/g, ' ').slice(0, 90) + '…'));
      bind(b, t);
      suggest.append(h('li', {}, b));
    }
  };
  for (const b of $$('[data-example]') as HTMLButtonElement[]) {
    b.addEventListener('click', () => {
      buyer.value = data.Examples[Number(b.dataset['example'])]!.Text;
      for (const o of $$('[data-example]')) o.setAttribute('aria-pressed', String(o === b));
      classify();
    });
  }
  buyer.addEventListener('input', debounce(classify, 120));
  classify();

  const cards = $('#cards')!;
  const count = $('#count')!;
  const verdict = $('#verdict')!;
  const send = $('#send') as HTMLButtonElement;
  c.onChange((fs, text) => {
    cardList(cards, c, fs, text, 'No problems found: this reply follows Amazon’s messaging rules.');
    count.textContent = `${text.length} / ${LIMIT}`;
    const e = fs.filter((f) => f.severity === 'error').length, w = fs.filter((f) => f.severity === 'warning').length;
    verdict.className = 'verdict ' + (e ? 'bad' : w ? 'warn' : 'ok');
    verdict.textContent = e ? `${e} error${e > 1 ? 's' : ''}: Amazon may block this message` : w ? `${w} warning${w > 1 ? 's' : ''} to review` : 'Ready to send';
  });
  const note = $('#send-note')!;
  send.addEventListener('click', () => {
    const e = c.ctrl.errors;
    note.hidden = false;
    note.className = 'banner ' + (e ? 'bad' : 'good');
    note.textContent = e
      ? `In Seller Central, ReplyGuard would stop here and ask before sending: ${e} error${e > 1 ? 's' : ''} left. Use the fixes above.`
      : 'Looks good. This is a practice box: nothing was sent.';
  });
}
