// Toolbar popup: what is due, with links to the threads and the companion's page.
import { formatLeft, threadLink, type LocalDeadline } from '../background/deadlines';

async function main(): Promise<void> {
  const [st, dl] = await Promise.all([
    chrome.runtime.sendMessage({ to: 'worker', type: 'status' }),
    chrome.runtime.sendMessage({ to: 'worker', type: 'deadlines' }),
  ]);
  const conn = document.getElementById('conn')!;
  conn.dataset['state'] = st.state;
  conn.textContent = st.state === 'connected' ? 'companion connected' : st.state === 'unpaired' ? 'not paired' : `companion ${st.state}`;
  if (st.queued) conn.textContent += ` · ${st.queued} queued`;
  (document.getElementById('companion') as HTMLAnchorElement).href = `http://${st.address}/`;
  document.getElementById('options')!.addEventListener('click', (e) => { e.preventDefault(); void chrome.runtime.openOptionsPage(); });
  const ul = document.getElementById('due')!;
  const now = Date.now();
  const ds: LocalDeadline[] = dl.deadlines ?? [];
  document.getElementById('none')!.hidden = ds.length > 0;
  for (const d of ds) {
    const ms = Date.parse(d.due_at) - now;
    const li = document.createElement('li');
    li.className = ms < 0 ? 'late' : ms < 4 * 3600_000 ? 'soon' : '';
    const a = document.createElement('a');
    a.href = threadLink(d);
    a.target = '_blank';
    a.textContent = d.buyer ? `${d.buyer} · ${d.order_id}` : d.order_id;
    const left = document.createElement('span');
    left.className = 'left';
    left.textContent = formatLeft(d.due_at, now);
    li.append(a, left);
    ul.append(li);
  }
}
void main();
