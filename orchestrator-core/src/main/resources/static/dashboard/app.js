// grandpa's dashboard: pages drawn in the browser from the REST API, with the token kept in this browser.
'use strict';

const main = document.getElementById('main');
const rangeSelect = document.getElementById('range');
let refresh = null;      // the page's periodic refresh
let stream = null;       // the task page's event stream
const charts = [];

function token() { return localStorage.getItem('grandpa.token'); }

/** A call to the API with this browser's token: JSON answers parsed, others as text; a refusal says why. */
async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { Authorization: 'Bearer ' + token(), ...(options.headers || {}) } });
  if (response.status === 401) { showLogin('That token is not known here.'); throw new Error('unauthorized'); }
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const why = body && (body.detail || body.title || (body.error && body.error.message)) || String(body || '');
    throw new Error(response.status + (response.status === 403 ? ' (this token may not do that)' : '') + ': ' + why);
  }
  return body;
}

function send(path, method, body) {
  return api(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
}

/** A button that runs an action and says how it went next to itself. */
function action(id, label, run) {
  const said = el('span', { id: id + '-said', class: 'said' });
  const button = el('button', { id, type: 'button', text: label });
  button.addEventListener('click', async () => {
    button.disabled = true; said.textContent = '';
    try { said.textContent = await run() ?? 'done'; said.className = 'said'; }
    catch (e) { said.textContent = e.message; said.className = 'said error'; }
    finally { button.disabled = false; }
  });
  return el('span', { class: 'action' }, button, said);
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

function table(id, headings, rows) {
  return el('table', { id }, el('thead', {}, el('tr', {}, ...headings.map(h => el('th', { text: h })))),
    el('tbody', {}, ...rows.map(r => el('tr', {}, ...r.map(c => c instanceof Node ? el('td', {}, c)
      : el('td', typeof c === 'number' ? { class: 'num', text: String(c) } : { text: c ?? '' }))))));
}

/** Every bucket of a history's range, oldest first, as epoch milliseconds: a chart spans its whole range. */
const RANGE_SECONDS = { hour: 3600, day: 86400, week: 604800 };
function bucketsOf(history) {
  const size = history.bucketSeconds * 1000;
  const last = Math.floor(Date.now() / size) * size;
  const count = Math.round(RANGE_SECONDS[history.range] / history.bucketSeconds);
  return Array.from({ length: count }, (_, i) => last - (count - 1 - i) * size);
}

const fmt = {
  time: t => t ? new Date(t).toLocaleString() : '',
  pct: x => (100 * x).toFixed(1) + ' %',
  n1: x => Math.round(x * 10) / 10,
};

function chart(id, option) {
  const div = el('div', { id, class: 'chart' });
  main.append(div);
  const c = echarts.init(div, null, { renderer: 'svg' });
  c.setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: {},
    ...option, grid: { left: 10, right: 10, top: 40, bottom: 10, containLabel: true, ...(option.grid || {}) } });
  charts.push(c);
  return c;
}

function leave() {
  if (refresh) { clearInterval(refresh); refresh = null; }
  if (stream) { stream.abort(); stream = null; }
  charts.splice(0).forEach(c => c.dispose());
  main.replaceChildren();
}

function showLogin(message) {
  leave();
  main.append(document.getElementById('login').content.cloneNode(true));
  document.getElementById('login-error').textContent = message || '';
  document.getElementById('login-form').addEventListener('submit', e => {
    e.preventDefault();
    localStorage.setItem('grandpa.token', document.getElementById('token').value.trim());
    route();
  });
}

// ---- pages

const STATUSES = ['QUEUED', 'PLANNING', 'RUNNING', 'WAITING', 'INTEGRATING', 'BLOCKED', 'DONE', 'CANCELLED'];

async function tasksPage() {
  const status = el('select', { id: 'filter-status' }, el('option', { value: '', text: 'every status' }),
    ...STATUSES.map(x => el('option', { value: x, text: x })));
  const search = el('input', { id: 'filter-search', type: 'search', placeholder: 'search titles and ids' });
  const board = el('input', { id: 'board-toggle', type: 'checkbox' });
  main.append(el('h2', { text: 'Tasks' }), submitForm(),
    el('p', { class: 'filters' }, status, ' ', search, ' ', el('label', {}, board, ' as a board')),
    el('div', { id: 'tasks-holder' }));
  const draw = async () => {
    const page = await api('/api/tasks?size=200' + (status.value ? '&status=' + status.value : ''));
    const words = search.value.trim().toLowerCase();
    const items = page.items.filter(t => !words || t.title.toLowerCase().includes(words) || t.id.startsWith(words));
    const link = t => el('a', { href: '#/task/' + t.id, text: t.id.slice(0, 8) });
    const holder = document.getElementById('tasks-holder');
    if (!holder) return;
    holder.replaceChildren(board.checked
      ? el('div', { id: 'board', class: 'board' }, ...STATUSES.map(x => el('section', { class: 'column', 'data-status': x },
          el('h3', { class: 'status-' + x, text: x + ' (' + items.filter(t => t.status === x).length + ')' }),
          ...items.filter(t => t.status === x).map(t => el('div', { class: 'card task-card' }, link(t), ' ', t.title)))))
      : table('tasks', ['task', 'status', 'title', 'updated'], items.map(t => [link(t),
          el('span', { class: 'status-' + t.status, text: t.status }), t.title, fmt.time(t.updatedAt)])),
      el('p', { text: items.length + ' shown of ' + page.total + (status.value ? ' ' + status.value : '') + ' tasks' }));
  };
  status.onchange = search.oninput = board.onchange = () => draw().catch(() => {});
  await draw();
  refresh = setInterval(() => draw().catch(() => {}), 3000);
}

/** A new task: its goal, and where it works (a configured repository), its labels and priority. */
function submitForm() {
  const goal = el('textarea', { id: 'submit-goal', rows: '3', placeholder: 'the goal, in words' });
  const repo = el('input', { id: 'submit-repo', placeholder: 'repository (optional)' });
  const labels = el('input', { id: 'submit-labels', placeholder: 'labels, comma-separated' });
  const priority = el('input', { id: 'submit-priority', type: 'number', min: '0', max: '10', value: '0' });
  return el('details', { id: 'submit', class: 'card wide' }, el('summary', { text: 'Hand grandpa a task' }), goal,
    el('p', {}, repo, ' ', labels, ' priority ', priority, ' ', action('submit-task', 'submit', async () => {
      const task = await send('/api/tasks', 'POST', { goal: goal.value, repo: repo.value.trim() || null,
        labels: labels.value.split(',').map(x => x.trim()).filter(x => x), priority: Number(priority.value) || 0 });
      goal.value = '';
      return 'accepted: ' + task.id.slice(0, 8);
    })));
}

function planGraph(task) {
  const live = task.subtasks.filter(s => s.planVersion === task.planVersion);
  const depth = {};
  const depthOf = s => depth[s.key] ??= Math.max(0, ...s.dependsOn.map(d => {
    const parent = live.find(p => p.key === d); return parent ? depthOf(parent) + 1 : 0; }));
  live.forEach(depthOf);
  const rows = {};
  const nodes = live.map(s => {
    const d = depth[s.key]; rows[d] = (rows[d] ?? -1) + 1;
    return { name: s.key, x: d * 220, y: rows[d] * 80, value: s.status,
      itemStyle: { color: s.status === 'ACCEPTED' ? '#1f7a3a' : s.status === 'FAILED' ? '#a52a2a' : '#5470c6' },
      label: { show: true, position: 'bottom', color: '#1d2330', formatter: s.key + ' (' + s.status.toLowerCase() + ')' } };
  });
  const links = live.flatMap(s => s.dependsOn.map(d => ({ source: d, target: s.key })));
  chart('plan-graph', { tooltip: {}, legend: { show: false }, series: [{ type: 'graph', layout: 'none', symbolSize: 28,
    roam: true, edgeSymbol: ['none', 'arrow'], data: nodes, links, lineStyle: { width: 2 } }] });
}

async function taskPage(id) {
  const task = await api('/api/tasks/' + id);
  const over = ['DONE', 'CANCELLED'].includes(task.status);
  const note = el('input', { id: 'resume-note', placeholder: 'what grandpa should know now' });
  main.append(el('h2', { id: 'task-title', text: task.title }),
    el('p', {}, 'status ', el('strong', { id: 'task-status', class: 'status-' + task.status, text: task.status }),
      task.statusReason ? ': ' + task.statusReason : '', task.repo ? ' — repository ' + task.repo : ''),
    el('p', { class: 'actions' },
      over ? '' : action('cancel-task', 'cancel', async () => (await send('/api/tasks/' + id + '/cancel', 'POST')).status),
      task.status === 'BLOCKED' ? el('span', {}, ' ', note, ' ', action('resume-task', 'resume', async () =>
        (await send('/api/tasks/' + id + '/resume', 'POST', note.value.trim() ? { note: note.value.trim() } : {})).status)) : ''),
    el('h2', { text: 'Plan v' + task.planVersion }));
  planGraph(task);
  const keys = Object.fromEntries(task.subtasks.map(s => [s.id, s.key]));
  const verdicts = Object.fromEntries(task.evaluations.map(e => [e.attemptId, e]));
  main.append(table('subtasks', ['subtask', 'status', 'capability', 'depends on', 'title'],
      task.subtasks.filter(s => s.planVersion === task.planVersion)
        .map(s => [s.key, s.status, s.capability, s.dependsOn.join(', '), s.title])),
    el('h2', { text: 'Attempts' }),
    table('attempts', ['subtask', '#', 'backend', 'routing', 'status', 'seconds', 'verdict', 'judged by'],
      task.attempts.map(a => [keys[a.subtaskId], a.number, a.backend, a.routingReason, a.status,
        a.durationMs == null ? '' : fmt.n1(a.durationMs / 1000), verdicts[a.id]?.verdict ?? '', verdicts[a.id]?.judgedBy ?? ''])),
    el('h2', { text: 'Checks' }),
    table('checks', ['name', 'passed', 'exit', 'seconds'], task.checks.map(c => [c.name, String(c.passed),
      c.exitCode ?? '', fmt.n1(c.durationMs / 1000)])),
    el('h2', { text: 'Recoveries' }),
    table('recoveries', ['rung', 'reason', 'when'], task.recoveries.map(r => [r.rung, r.reason, fmt.time(r.createdAt)])),
    el('h2', { text: 'Events' }), el('ul', { id: 'events' }));
  if (task.result) main.append(el('h2', { text: 'Result' }), el('pre', { id: 'result', text: task.result }));
  if (task.workspace) {
    main.append(el('h2', { text: 'The branch ' + task.workspace.branch + ' as a diff' }), el('div', { id: 'diff-holder' }));
    api('/api/tasks/' + id + '/diff').then(diff => document.getElementById('diff-holder')?.replaceChildren(diffView(diff)))
      .catch(e => document.getElementById('diff-holder')?.replaceChildren(el('p', { class: 'error', text: e.message })));
  }
  followEvents(id);
}

/** A unified diff, each line marked as what it is: a file, a hunk, a line added or removed, context. */
function diffView(diff) {
  if (!diff.trim()) return el('p', { id: 'diff', text: 'No change on the branch yet.' });
  return el('pre', { id: 'diff', class: 'diff' }, ...diff.split('\n').map(line => el('span', { class:
    line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') ? 'file'
      : line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx',
    text: line + '\n' })));
}

/** The task's event stream, read with fetch (an EventSource cannot send the token). */
async function followEvents(id) {
  stream = new AbortController();
  const list = document.getElementById('events');
  try {
    const response = await fetch('/api/tasks/' + id + '/events', { headers: { Authorization: 'Bearer ' + token() },
      signal: stream.signal });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end); buffer = buffer.slice(end + 2);
        const type = block.match(/^event:(.*)$/m)?.[1];
        const data = block.match(/^data:(.*)$/m)?.[1];
        if (!type || !data) continue;
        const event = JSON.parse(data);
        if (type === 'attempt.output') continue;
        // the service words each event (its 'line'); the data is shown only for one this page has no words for
        // a timeline in the service's words; the data only for an event it has no words for
        list.append(el('li', { class: 'event-' + type.replace(/\./g, '-') }, el('time', { text: fmt.time(event.createdAt) }), ' ',
          el('span', { class: 'type', text: type }), ' ', event.line ?? JSON.stringify(event.data)));
        if (type === 'status') {
          const s = document.getElementById('task-status');
          if (s) { s.textContent = event.data.status; s.className = 'status-' + event.data.status; }
        }
      }
    }
  } catch (e) {
    if (e.name !== 'AbortError') list.append(el('li', { class: 'error', text: 'event stream ended: ' + e.message }));
  }
}

async function backendsPage() {
  const [backends, history] = await Promise.all([api('/api/backends'),
    api('/api/stats/delegations?range=' + rangeSelect.value)]);
  const flags = b => el('span', {},
    action('drain-' + b.name, b.draining ? 'undrain' : 'drain', async () => {
      await send('/api/backends/' + encodeURIComponent(b.name), 'PATCH', { draining: !b.draining }); route(); return 'saved'; }), ' ',
    action('enable-' + b.name, b.enabled ? 'disable' : 'enable', async () => {
      await send('/api/backends/' + encodeURIComponent(b.name), 'PATCH', { enabled: !b.enabled }); route(); return 'saved'; }));
  const state = b => !b.enabled ? 'disabled' : b.draining ? 'draining' : b.live.healthy ? 'ready' : 'unhealthy';
  main.append(el('h2', { text: 'Backends' }), table('backends',
    ['backend', 'kind', 'state', 'circuit', 'slots in use', 'passed / failed by capability (7 days)', ''],
    backends.map(b => [b.name, b.kind, state(b), b.live.circuit, b.live.activeCalls + ' / ' + b.slots,
      Object.keys(b.success).length ? Object.entries(b.success).map(([cap, s]) => cap + ': ' + s.succeeded + ' passed, '
        + s.failed + ' failed').join('; ') : 'no data', flags(b)])));
  main.append(el('h2', { text: 'Delegation success by backend over the ' + rangeSelect.value }));
  const starts = bucketsOf(history);
  const names = [...new Set(history.buckets.map(b => b.backend))].sort();
  const rate = (name, start) => {
    const in_ = history.buckets.filter(b => b.backend === name && Date.parse(b.start) === start);
    const passed = in_.reduce((s, b) => s + b.passed, 0), all = in_.reduce((s, b) => s + b.passed + b.failed, 0);
    return all ? passed / all : null;
  };
  chart('success-chart', { xAxis: { type: 'category', data: starts.map(fmt.time) },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: v => Math.round(v * 100) + '%' } },
    series: names.map(n => ({ name: n, type: 'line', connectNulls: true, data: starts.map(s => rate(n, s)) })) });
  main.append(table('success-history', ['from', 'backend', 'capability', 'passed', 'failed', 'success'],
    history.buckets.map(b => [fmt.time(b.start), b.backend, b.capability, b.passed, b.failed,
      b.passed + b.failed ? fmt.pct(b.passed / (b.passed + b.failed)) : 'no data'])));
}

function weighted(buckets, field) {
  const calls = buckets.reduce((s, b) => s + b.calls, 0);
  return calls ? buckets.reduce((s, b) => s + b[field] * b.calls, 0) / calls : 0;
}

async function modelPage() {
  const [runtime, history] = await Promise.all([api('/api/runtime'), api('/api/stats/model?range=' + rangeSelect.value)]);
  const s = runtime.status;
  main.append(el('h2', { text: "grandpa's model" }),
    el('p', { id: 'runtime-state', text: s.state + (s.reason ? ' — ' + s.reason : '') + ', ' + runtime.mode + ', '
      + s.restarts + ' restarts' }),
    (runtime.placement || []).length
      ? table('planned-placement', ['device', 'expert layers', 'weights MiB', 'experts MiB', 'KV cache MiB', 'compute MiB',
          'total MiB', 'budget MiB'], runtime.placement.map(d => [d.device, d.expertLayers, d.weightsMiB, d.expertsMiB,
          d.kvCacheMiB, d.computeMiB, d.totalMiB, d.budgetMiB || '']))
      : el('p', { id: 'planned-placement', text: 'Attached to a server grandpa did not plan: no placement to show.' }),
    (runtime.planAgainstLog || []).length
      ? table('plan-against-log', ['device', 'planned MiB', 'logged MiB', 'difference'], runtime.planAgainstLog.map(c => [
          c.device, Math.round(c.plannedMiB), Math.round(c.loggedMiB), el('span', { class: c.warning ? 'error' : '',
            text: (c.differencePercent >= 0 ? '+' : '') + c.differencePercent.toFixed(1) + ' %'
              + (c.warning ? ' — more than 10 % off the plan' : '') })]))
      : '',
    (runtime.speedAgainstLog || []).length
      ? table('speed-against-log', ['speed', 'tokens', 'planned tok/s', 'fastest measured tok/s', 'difference'],
          runtime.speedAgainstLog.map(c => [c.what, c.tokens, c.predicted.toFixed(1), c.measured.toFixed(1),
            el('span', { class: c.warning ? 'error' : '', text: (c.differencePercent >= 0 ? '+' : '')
              + c.differencePercent.toFixed(1) + ' %' + (c.warning ? ' — more than 10 % off the plan' : '') })]))
      : '',
    Object.keys(s.buffersMiB || {}).length
      ? table('placement', ['buffer (as the server logged it)', 'MiB'], Object.entries(s.buffersMiB).map(([k, v]) => [k, Math.round(v)]))
      : el('p', { id: 'placement', text: 'No buffer sizes logged: grandpa reads them from the log of a server it runs itself.' }),
    table('sessions', ['slot', 'api', 'format', 'context per slot', 'lookups asked in', 'why'],
      (runtime.sessions || []).map((x, i) => x ? [String(i), x.api, x.format ?? '', x.contextPerSlot ?? '',
          x.nativeTools ? "the template's tool calls" : 'a JSON schema (where lookups are offered)', x.reason ?? '']
        : [String(i), 'not called yet', '', '', '', ''])));
  const starts = bucketsOf(history);
  const models = [...new Set(history.buckets.map(b => b.model))].sort();
  const series = (field, f = x => x) => models.map(m => ({ name: m, type: 'line', connectNulls: true,
    data: starts.map(t => { const b = history.buckets.find(x => x.model === m && Date.parse(x.start) === t); return b ? f(b[field], b) : null; }) }));
  const x = { type: 'category', data: starts.map(fmt.time) };
  main.append(el('h2', { text: 'Generation speed (tokens a second)' }));
  chart('generation-chart', { xAxis: x, yAxis: { type: 'value' }, series: series('generationPerSecond', fmt.n1) });
  main.append(el('h2', { text: 'Prompt speed (tokens a second) and time to first token (ms, median)' }));
  chart('prompt-chart', { xAxis: x, yAxis: { type: 'value' }, series: [...series('promptPerSecond', fmt.n1)
    .map(s => ({ ...s, name: s.name + ' prompt' })), ...series('firstTokenMsMedian', Math.round).map(s => ({ ...s, name: s.name + ' ttft' }))] });
  main.append(el('h2', { text: 'Prompt-cache reuse and session length (tokens)' }));
  chart('cache-chart', { xAxis: x, yAxis: [{ type: 'value', max: 1 }, { type: 'value' }], series: [
    ...series('cachedTokens', (c, b) => b.promptTokens ? c / b.promptTokens : null).map(s => ({ ...s, name: s.name + ' reuse' })),
    ...series('sessionTokensMax').map(s => ({ ...s, name: s.name + ' session', yAxisIndex: 1 }))] });
  // two models side by side over the range
  const pick = (id, i) => el('select', { id }, ...models.map((m, j) => { const o = el('option', { value: m, text: m });
    if (j === i) o.selected = true; return o; }));
  const a = pick('model-a', 0), b = pick('model-b', Math.min(1, models.length - 1));
  const compare = el('div', { id: 'compare-holder' });
  const drawCompare = () => {
    const rows = [a.value, b.value].map(m => { const mine = history.buckets.filter(x => x.model === m);
      const prompt = mine.reduce((s, x) => s + x.promptTokens, 0), cached = mine.reduce((s, x) => s + x.cachedTokens, 0);
      return [m, mine.reduce((s, x) => s + x.calls, 0), fmt.n1(weighted(mine, 'generationPerSecond')),
        fmt.n1(weighted(mine, 'promptPerSecond')), Math.round(weighted(mine, 'firstTokenMsMedian')),
        prompt ? fmt.pct(cached / prompt) : '']; });
    compare.replaceChildren(table('compare', ['model', 'calls', 'generation tok/s', 'prompt tok/s', 'first token ms',
      'cache reuse'], rows));
  };
  a.onchange = b.onchange = drawCompare;
  main.append(el('h2', { text: 'Side by side over the ' + rangeSelect.value }), el('p', {}, a, ' against ', b), compare);
  drawCompare();
}

// ---- routing

async function route() {
  leave();
  if (!token()) { showLogin(); return; }
  const hash = location.hash || '#/tasks';
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', hash.startsWith(a.getAttribute('href'))));
  try {
    if (hash.startsWith('#/task/')) await taskPage(hash.slice('#/task/'.length));
    else if (hash === '#/backends') await backendsPage();
    else if (hash === '#/model') await modelPage();
    else if (hash === '#/evals') await evalsPage();
    else if (hash.startsWith('#/eval/')) await evalRunPage(hash.slice('#/eval/'.length));
    else await tasksPage();
  } catch (e) {
    if (e.message !== 'unauthorized') main.append(el('p', { class: 'error', text: e.message }));
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('resize', () => charts.forEach(c => c.resize()));
rangeSelect.addEventListener('change', route);
document.getElementById('sign-out').addEventListener('click', () => { localStorage.removeItem('grandpa.token'); route(); });
// the first page once every deferred script (the Bake-off page's too) has run
document.addEventListener('DOMContentLoaded', route);
