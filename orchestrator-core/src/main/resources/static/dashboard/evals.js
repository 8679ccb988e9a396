// The Bake-off page: runs of a suite's cases under a setup, and two runs side by side. Drawn with app.js's helpers.
'use strict';

const evalText = {
  solved: s => s.rate ? s.rate.solved + ' of ' + s.rate.cases + ' (' + fmt.pct(s.rate.solved / s.rate.cases) + ')' : 'none ended yet',
  interval: s => s.rate ? fmt.pct(s.rate.low) + ' – ' + fmt.pct(s.rate.high) : '',
  seconds: x => x < 90 ? x.toFixed(1) + ' s' : Math.round(x / 60) + ' min',
  models: s => s.standIn ? 'stand-in' : 'real',
  verdict: x => x === true ? 'solved' : x === false ? 'not solved' : '—',
};

async function evalsPage() {
  const all = await api('/api/evals');
  main.append(el('h2', { text: 'Bake-off' }), startRunForm(all.suites));
  if (!all.runs.length) {
    main.append(el('p', { id: 'eval-runs', text: 'No run yet: start one here, or with ./grandpa eval run --suite starter.' }));
    return;
  }
  main.append(table('eval-runs', ['run', 'suite', 'setup', 'status', 'solved', '95 % interval', 'median time to end',
    'models', 'started'], all.runs.map(r => [el('a', { href: '#/eval/' + encodeURIComponent(r.summary.label),
    text: r.summary.label }), r.summary.suite, r.summary.setup ?? 'as configured', r.summary.status, evalText.solved(r.summary), evalText.interval(r.summary),
    r.summary.ended ? evalText.seconds(r.summary.medianSecondsToDone) : '', evalText.models(r.summary), fmt.time(r.createdAt)])));
  const pick = (id, i) => el('select', { id }, ...all.runs.map((r, j) => {
    const o = el('option', { value: r.summary.label, text: r.summary.label + ' (' + r.summary.suite + ')' });
    if (j === i) o.selected = true; return o; }));
  const a = pick('eval-first', Math.min(1, all.runs.length - 1)), b = pick('eval-second', 0);
  const holder = el('div', { id: 'eval-compare-holder' });
  const draw = async () => {
    try { holder.replaceChildren(...comparison(await api('/api/evals/compare?first=' + encodeURIComponent(a.value)
      + '&second=' + encodeURIComponent(b.value)))); }
    catch (e) { holder.replaceChildren(el('p', { class: 'error', text: e.message })); }
  };
  a.onchange = b.onchange = draw;
  main.append(el('h2', { text: 'Two runs side by side' }), el('p', {}, a, ' against ', b), holder);
  await draw();
}

/** The numbers of two runs, whether their difference is more than chance, and case by case. */
function comparison(c) {
  const [x, y] = [c.first, c.second];
  const row = (name, f) => [name, f(x), f(y)];
  const perCase = f => s => s.ended ? f(s) : '';
  return [table('eval-compare', ['', x.label, y.label], [
    row('setup', s => s.setup ?? 'as configured'), row('models', evalText.models), row('solved', evalText.solved), row('95 % interval', evalText.interval),
    row('time to end, median', perCase(s => evalText.seconds(s.medianSecondsToDone))),
    row('time to end, 90th percentile', perCase(s => evalText.seconds(s.p90SecondsToDone))),
    row("grandpa busy a case", perCase(s => evalText.seconds(s.grandpaSecondsPerCase))),
    row('coder tokens a case', perCase(s => Math.round(s.coderTokensPerCase).toLocaleString('en'))),
    row('recoveries a case', perCase(s => s.recoveriesPerCase.toFixed(2))),
    row('re-plans a case', perCase(s => s.replansPerCase.toFixed(2)))]),
  el('p', { id: 'eval-significance', text: 'Over the ' + c.paired + ' cases both ended: ' + c.difference.onlyFirst
    + ' solved by ' + x.label + ' alone, ' + c.difference.onlySecond + ' by ' + y.label + " alone; McNemar's exact test p = "
    + c.difference.p.toFixed(4) + ': ' + (c.significant ? 'a significant difference (p < 0.05).'
      : 'no significant difference (it may be chance).') }),
  table('eval-cases', ['case', 'repetition', x.label, y.label], c.cases.map(r => [r.caseId, String(r.repetition + 1),
    el('span', { class: r.first ? 'status-DONE' : '', text: evalText.verdict(r.first) }),
    el('span', { class: r.second ? 'status-DONE' : '', text: evalText.verdict(r.second) })]))];
}

/** A new run (for an operator): a suite, its label, how many times each case and how many at once. */
function startRunForm(suites) {
  const suite = el('select', { id: 'eval-suite' }, ...suites.map(s => el('option', { value: s.name, text: s.name })));
  const label = el('input', { id: 'eval-label', placeholder: 'label (default: the suite and the time)' });
  const repeat = el('input', { id: 'eval-repeat', type: 'number', min: '1', max: '20', value: '1' });
  const parallel = el('input', { id: 'eval-parallel', type: 'number', min: '1', max: '64', value: '2' });
  return el('details', { id: 'eval-start', class: 'card wide' }, el('summary', { text: 'Start a run' }),
    el('p', {}, 'suite ', suite, ' ', label, ' repeat ', repeat, ' at once ', parallel, ' ',
      action('eval-start-run', 'start', async () => {
        const run = await send('/api/evals/runs', 'POST', { suite: suite.value, label: label.value.trim() || null,
          repeat: Number(repeat.value) || 1, parallel: Number(parallel.value) || 2 });
        location.hash = '#/eval/' + encodeURIComponent(run.label);
        return 'started ' + run.label;
      })));
}

async function evalRunPage(label) {
  const run = await api('/api/evals/runs/' + label);
  const path = '/api/evals/runs/' + encodeURIComponent(run.label);
  main.append(el('h2', { text: 'Run ' + run.label + ' of ' + run.suite + (run.setup ? ' under setup ' + run.setup : '') }),
    el('p', { id: 'eval-run-status', text: run.status + (run.standIn ? ' — on STAND-IN models: these numbers say nothing '
      + 'about real ones' : '') + (run.estimatedSecondsLeft ? ', about ' + evalText.seconds(run.estimatedSecondsLeft)
      + ' left' : '') }),
    el('p', { id: 'eval-run-summary', text: 'solved ' + evalText.solved(run.summary) + (run.summary.rate ? ', 95 % interval '
      + evalText.interval(run.summary) : '') }),
    el('p', {}, action('eval-cancel', 'cancel the run', async () => { await send(path + '/cancel', 'POST'); route(); }),
      ' ', action('eval-resume', 'resume it', async () => { await send(path + '/resume', 'POST'); route(); })),
    table('eval-results', ['case', 'repetition', 'status', 'task', 'time to end', 'why not solved'], run.results.map(r => [
      r.caseId, String(r.repetition + 1), el('span', { class: r.status === 'SOLVED' ? 'status-DONE'
        : r.status === 'UNSOLVED' ? 'status-BLOCKED' : '', text: r.status }),
      r.taskId ? el('a', { href: '#/task/' + r.taskId, text: r.taskId.slice(0, 8) }) : '',
      r.measures ? evalText.seconds(r.measures.secondsToDone) : '', r.reason ?? ''])));
  if (run.status === 'RUNNING') refresh = setInterval(route, 3000);
}
