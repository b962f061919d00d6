// Live countdowns: each <time data-due> is re-labelled every second. The
// server rendered the first label, so nothing moves when this starts.
import { $$ } from './dom';

export function fmtLeft(ms: number): string {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hh = Math.floor(s / 3600); s -= hh * 3600;
  const mm = Math.floor(s / 60); s -= mm * 60;
  const txt = d >= 2 ? `${d} d ${hh} h` : d * 24 + hh > 0 ? `${d * 24 + hh} h ${String(mm).padStart(2, '0')} min` : `${mm} min ${String(s).padStart(2, '0')} s`;
  return neg ? `${txt} ago` : `in ${txt}`;
}

export function dashboard(): void {
  const els = $$('time[data-due]');
  if (!els.length) return;
  const due = els.map((e) => Date.parse(e.dataset['due']!));
  let wentOverdue = false;
  const tick = () => {
    const now = Date.now();
    els.forEach((e, i) => {
      const left = due[i]! - now;
      const t = fmtLeft(left);
      if (e.textContent !== t) e.textContent = t;
      const li = e.closest('li');
      if (left <= 0 && li && !li.classList.contains('dl-overdue') && !li.classList.contains('dl-missed')) { li.className = 'dl dl-overdue'; wentOverdue = true; }
    });
    if (wentOverdue) document.title = '⚠ Overdue · ReplyGuard';
  };
  tick();
  setInterval(tick, 1000);
  // Deadlines come and go while the page is open: refresh quietly.
  setInterval(() => { if (document.visibilityState === 'visible' && !document.querySelector(':focus-visible')) location.reload(); }, 5 * 60 * 1000);
}
