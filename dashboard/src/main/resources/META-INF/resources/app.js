'use strict';
// Loopline dashboard: one page, no build step. Every call goes to this dashboard's /api/v1 with the session cookie
// (HttpOnly; the token never reaches the page), and every POST carries the session's CSRF token.
(() => {
  const app = document.getElementById('app');
  const state = { session: null, csrf: null, oidc: false, stream: null, ticks: new Map(), cursor: null, openTick: null, loops: [] };

  // ---------- helpers ----------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const svgNs = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(svgNs, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, v);
    for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  const fmt = n => n == null ? '—' : Number(n).toLocaleString('en-US');
  const usd = n => n == null ? '—' : '$' + Number(n).toFixed(4);
  const time = t => t ? new Date(t).toLocaleString() : '—';
  const clock = t => t ? new Date(t).toLocaleTimeString() : '—';
  const pill = (text, cls) => el('span', { class: 'pill ' + (cls || text || '') }, text || '—');
  const outcomeOf = t => t.outcome || t.status || 'running';
  const scroll = table => el('div', { class: 'scroll' }, table);

  function toast(message, ok) {
    const t = document.getElementById('toast');
    t.textContent = message;
    t.className = 'toast' + (ok ? ' ok' : '');
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
  }

  class ApiError extends Error {
    constructor(status, problem) { super(problem.detail || problem.title || ('HTTP ' + status)); this.status = status; this.problem = problem; }
  }

  async function api(path, options) {
    const init = { method: 'GET', headers: { 'Accept': 'application/json' }, credentials: 'same-origin' };
    if (options && options.body !== undefined) {
      init.method = 'POST';
      init.headers['Content-Type'] = 'application/json';
      init.headers['X-CSRF-Token'] = state.csrf;
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    if (response.status === 204) return null;
    const body = await response.json().catch(() => ({}));
    if (response.status === 401 && path.startsWith('/api/')) { signedOut('Your session ended: ' + (body.detail || 'sign in again')); }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  function confirmAction(title, text) {
    const dialog = document.getElementById('confirm');
    document.getElementById('confirm-title').textContent = title;
    document.getElementById('confirm-text').textContent = text;
    return new Promise(resolve => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
      document.getElementById('confirm-cancel').focus();
    });
  }

  // ---------- session ----------
  async function start() {
    // `./loopline up` prints a link carrying its token in the fragment (never sent to a server): sign in with it
    // once, then drop it from the address bar and the history
    const fragment = new URLSearchParams(location.hash.slice(1));
    const token = fragment.get('token');
    // a sign-in at the identity provider that did not work comes back with its reason in the fragment
    const ssoError = fragment.get('sign-in-error');
    if (token || ssoError) history.replaceState(null, '', location.pathname);
    const s = await api('/auth/session');
    state.csrf = s.csrf;
    state.oidc = s.oidc;
    if (token) {
      try { signedIn(await api('/auth/sign-in', { body: { token } })); return; }
      catch (e) { showSignIn(e.message); return; }
    }
    if (s.signedIn) signedIn(s); else showSignIn(ssoError || undefined);
  }

  function showSignIn(message) {
    document.getElementById('nav').hidden = true;
    document.getElementById('who').hidden = true;
    app.replaceChildren(document.getElementById('sign-in-template').content.cloneNode(true));
    const form = document.getElementById('sign-in');
    if (message) document.getElementById('sign-in-error').textContent = message;
    document.getElementById('sso').hidden = !state.oidc;
    document.getElementById('token').focus();
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const token = new FormData(form).get('token');
      try {
        const s = await api('/auth/sign-in', { body: { token } });
        signedIn(s);
      } catch (e) {
        document.getElementById('sign-in-error').textContent = e.message;
        if (e.status === 403) { const fresh = await api('/auth/session'); state.csrf = fresh.csrf; }
      }
    });
  }

  function signedIn(s) {
    state.session = s;
    state.csrf = s.csrf;
    document.getElementById('nav').hidden = false;
    document.getElementById('who').hidden = false;
    document.getElementById('user').textContent = s.name + ' · ' + s.role + (s.team ? ' (' + s.team + ')' : '');
    document.body.dataset.role = s.role;
    openStream();
    if (location.pathname.startsWith('/ticks/')) {
      const id = decodeURIComponent(location.pathname.slice('/ticks/'.length));
      history.replaceState(null, '', '/#/ticks/' + encodeURIComponent(id));
    }
    route();
  }

  function signedOut(message) {
    state.session = null;
    if (state.stream) { state.stream.close(); state.stream = null; }
    api('/auth/session').then(s => { state.csrf = s.csrf; state.oidc = s.oidc; showSignIn(message); });
  }

  document.getElementById('sign-out').addEventListener('click', async () => {
    try { await api('/auth/sign-out', { body: {} }); } catch (e) { /* the session is gone either way */ }
    signedOut('Signed out.');
  });

  // ---------- live events ----------
  function openStream() {
    if (state.stream) state.stream.close();
    const live = document.getElementById('live');
    const source = new EventSource('/api/v1/stream');
    state.stream = source;
    source.onopen = () => { live.textContent = 'live'; live.classList.add('on'); };
    source.onerror = () => { live.textContent = 'reconnecting…'; live.classList.remove('on'); };
    source.addEventListener('tick', ev => {
      const data = JSON.parse(ev.data);
      if (!data.tick) return;
      state.ticks.set(data.tick.tickId, data.tick);
      const body = document.getElementById('ticks');
      if (body) upsertTickRow(body, data.tick, true);
      if (state.openTick === data.tick.tickId) showTick(data.tick.tickId, true);
      const live = document.getElementById('live');
      live.textContent = 'live · ' + data.event.type.replace('loopline.', '') + ' ' + clock(data.event.time);
    });
    source.addEventListener('reset', () => { if (document.getElementById('ticks')) showTicks(); });
  }

  // ---------- routing ----------
  function route() {
    if (!state.session) return;
    const hash = location.hash.replace(/^#\/?/, '') || 'loops';
    const [view, ...rest] = hash.split('/');
    state.openTick = null;
    for (const a of document.querySelectorAll('nav a')) {
      if (a.dataset.view === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    const views = { loops: showLoops, ticks: () => rest.length ? showTick(decodeURIComponent(rest.join('/'))) : showTicks(),
                    approvals: showApprovals, control: showControl, budget: showBudget };
    (views[view] || showLoops)();
  }
  window.addEventListener('hashchange', route);

  function loading(title) {
    app.replaceChildren(el('section', { class: 'panel' }, el('h2', {}, title), el('p', { class: 'muted' }, 'loading…')));
  }
  function failed(section, e) {
    section.append(el('p', { class: 'error', role: 'alert' }, e.message));
  }

  // ---------- loops ----------
  async function showLoops() {
    loading('Loops');
    const section = el('section', { class: 'panel', 'aria-labelledby': 'loops-title' }, el('h2', { id: 'loops-title' }, 'Loops'));
    const specs = el('section', { class: 'panel', id: 'spec-errors', 'aria-labelledby': 'specs-title' }, el('h2', { id: 'specs-title' }, 'Specs that failed to load'));
    app.replaceChildren(section, specs);
    try {
      const loops = await api('/api/v1/loops');
      state.loops = loops;
      section.append(scroll(el('table', { 'aria-label': 'loops', id: 'loops' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Loop'), el('th', {}, 'Team'), el('th', {}, 'Level'), el('th', {}, 'Admission'),
          el('th', {}, 'Next run'), el('th', {}, 'Last outcome'), el('th', { class: 'num' }, 'Open items'), el('th', { class: 'num hide-narrow' }, 'Ticks'))),
        el('tbody', {}, loops.map(l => el('tr', { 'data-loop': l.loopId },
          el('td', {}, l.lastTickId ? el('a', { href: '#/ticks/' + encodeURIComponent(l.lastTickId) }, l.loopId) : l.loopId),
          el('td', {}, l.team || '—'), el('td', {}, l.level || '—'),
          el('td', {}, pill(l.admission, l.admission), l.admissionReason ? el('div', { class: 'muted' }, l.admissionReason) : null,
            l.paused ? el('div', { class: 'muted' }, 'paused' + (l.pauseReason ? ': ' + l.pauseReason : '')) : null),
          el('td', {}, l.nextRunAt ? time(l.nextRunAt) : el('span', { class: 'muted' }, l.schedule === 'scheduler' ? 'on demand' : (l.schedule || '—'))),
          el('td', {}, l.lastOutcome ? pill(l.lastOutcome) : '—', l.lastRunAt ? el('div', { class: 'muted' }, time(l.lastRunAt)) : null),
          el('td', { class: 'num' }, l.openItems ? (l.openTickIds || []).map(id => el('a', { href: '#/ticks/' + encodeURIComponent(id) }, String(l.openItems))) .slice(0, 1) : '0'),
          el('td', { class: 'num hide-narrow' }, fmt(l.tickCount))))))));
    } catch (e) { failed(section, e); }
    if (!state.session.services.scheduler) {
      specs.append(el('p', { class: 'muted' }, 'The dashboard is not connected to the scheduler (loopline.dashboard.scheduler-url).'));
      return;
    }
    try {
      const registry = await api('/api/v1/specs');
      const invalid = registry.filter(l => l.valid === false);
      if (!invalid.length) { specs.append(el('p', { class: 'muted' }, 'Every spec file loaded.')); return; }
      // a loop whose spec did not load does not run, whatever the kill switches say
      for (const l of invalid) {
        const row = document.querySelector('#loops tr[data-loop="' + CSS.escape(l.id) + '"]');
        if (row) row.children[3].replaceChildren(pill('invalid spec', 'error'), el('div', { class: 'muted' }, 'its spec did not load: see below'));
      }
      specs.append(el('ul', { id: 'invalid-specs' }, invalid.map(l => el('li', {},
        el('strong', {}, l.file || l.id), ' ', el('span', { class: 'muted' }, l.id),
        el('ul', {}, (l.problems || []).map(p => el('li', {}, (p.field ? p.field + ': ' : '') + p.message)))))));
    } catch (e) { failed(specs, e); }
  }

  // ---------- ticks ----------
  function tickRow(t) {
    return el('tr', { 'data-tick': t.tickId },
      el('td', {}, clock(t.triggeredAt || t.startedAt || t.updatedAt)),
      el('td', {}, el('a', { href: '#/ticks/' + encodeURIComponent(t.tickId) }, t.loopId)),
      el('td', { class: 'hide-narrow' }, t.team || '—'),
      el('td', {}, pill(outcomeOf(t)), t.resolution ? [' ', pill(t.resolution)] : null),
      el('td', { class: 'num' }, fmt(t.tokens)),
      el('td', { class: 'muted hide-narrow' }, t.tickId));
  }
  function upsertTickRow(body, t, fresh) {
    const row = tickRow(t);
    if (fresh) row.classList.add('fresh');
    const old = body.querySelector('tr[data-tick="' + CSS.escape(t.tickId) + '"]');
    if (old) old.replaceWith(row); else body.prepend(row);
  }

  async function showTicks() {
    const section = el('section', { class: 'panel', 'aria-labelledby': 'ticks-title' }, el('h2', { id: 'ticks-title' }, 'Ticks'),
      el('p', { class: 'muted' }, 'New ticks and every step of running ones appear here as they happen.'));
    const body = el('tbody', { id: 'ticks' });
    const more = el('button', { type: 'button', class: 'secondary', onclick: () => loadTicks(body, more) }, 'Load older ticks');
    section.append(scroll(el('table', { 'aria-label': 'ticks' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Started'), el('th', {}, 'Loop'), el('th', { class: 'hide-narrow' }, 'Team'),
        el('th', {}, 'Outcome'), el('th', { class: 'num' }, 'Tokens'), el('th', { class: 'hide-narrow' }, 'Tick'))), body)), more);
    app.replaceChildren(section);
    state.cursor = null;
    await loadTicks(body, more);
  }

  async function loadTicks(body, more) {
    try {
      const page = await api('/api/v1/ticks?limit=50' + (state.cursor ? '&cursor=' + encodeURIComponent(state.cursor) : ''));
      for (const t of page.items) { if (!body.querySelector('tr[data-tick="' + CSS.escape(t.tickId) + '"]')) body.append(tickRow(t)); }
      state.cursor = page.nextCursor;
      more.hidden = !page.nextCursor;
    } catch (e) { failed(body.closest('section'), e); }
  }

  // ---------- tick detail ----------
  async function showTick(id, refresh) {
    state.openTick = id;
    if (!refresh) loading('Tick ' + id);
    let tick;
    try { tick = await api('/api/v1/ticks/' + encodeURIComponent(id)); }
    catch (e) { const s = el('section', { class: 'panel' }, el('h2', {}, 'Tick ' + id)); failed(s, e); app.replaceChildren(s); return; }
    if (state.openTick !== id) return;
    const steps = tick.timeline || [];
    const verified = [...steps].reverse().find(s => s.type === 'loopline.change.verified' && s.data && !s.data.approvalId);
    const proposed = [...steps].reverse().find(s => s.type === 'loopline.change.proposed');
    const head = el('section', { class: 'panel', 'aria-labelledby': 'tick-title' },
      el('h2', { id: 'tick-title' }, tick.loopId, ' ', el('span', { class: 'muted' }, tick.tickId)),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Outcome'), el('dd', { id: 'tick-outcome' }, pill(outcomeOf(tick)), tick.resolution ? [' ', pill(tick.resolution)] : null),
        el('dt', {}, 'Team · level'), el('dd', {}, (tick.team || '—') + ' · ' + (tick.level || '—')),
        el('dt', {}, 'Triggered'), el('dd', {}, time(tick.triggeredAt) + (tick.triggeredBy ? ' by ' + tick.triggeredBy : '')),
        el('dt', {}, 'Attempts'), el('dd', {}, String(tick.attempts)),
        el('dt', {}, 'Tokens'), el('dd', {}, fmt(tick.tokens), usageOf(steps)),
        el('dt', {}, 'Cost'), el('dd', { id: 'tick-cost' }, tick.costUsd != null ? usd(tick.costUsd) : 'no priced model'),
        tick.reason ? [el('dt', {}, 'Reason'), el('dd', {}, tick.reason)] : null,
        tick.branch ? [el('dt', {}, 'Branch'), el('dd', {}, tick.branch)] : null));
    const approval = el('section', { class: 'panel', id: 'tick-approval', 'aria-labelledby': 'approval-title' }, el('h2', { id: 'approval-title' }, 'Approval'));
    const diff = el('section', { class: 'panel', 'aria-labelledby': 'diff-title' }, el('h2', { id: 'diff-title' }, 'Change'));
    const source = verified || proposed;
    if (source && source.data && source.data.diff) {
      const findings = [...((proposed && proposed.data.findings) || []), ...((verified && verified.data.findings) || [])];
      if (verified) diff.append(el('p', {}, 'Checker: ', pill(verified.data.verdict), ' ', (verified.data.reasons || []).join('; ')));
      diff.append(renderDiff(source.data.diff, findings));
      const test = verified && verified.data.test;
      if (test) diff.append(el('h3', {}, 'Test output'), el('p', { class: 'muted' }, test.command + ' · exit ' + test.exitCode + (test.timedOut ? ' · timed out' : '') + ' · ' + test.durationMs + ' ms'), el('pre', {}, test.outputTail || '(no output)'));
    } else {
      diff.append(el('p', { class: 'muted' }, 'No change proposed (yet).'));
    }
    const timeline = el('section', { class: 'panel', 'aria-labelledby': 'timeline-title' }, el('h2', { id: 'timeline-title' }, 'Timeline'),
      el('ol', { class: 'timeline' }, steps.map(s => {
        const d = s.data || {};
        const summary = d.verdict || d.decision || d.outcome || d.action;
        const reason = d.reason || (d.reasons || []).join('; ');
        return el('li', {}, el('strong', {}, s.type.replace('loopline.', '')), ' ',
          el('span', { class: 'muted' }, clock(s.time) + ' · attempt ' + s.attempt + ' · ' + s.source), ' ',
          summary ? pill(summary) : null, reason ? el('div', { class: 'muted' }, reason) : null);
      })));
    app.replaceChildren(head, approval, diff, timeline);
    renderTickApproval(approval, tick);
  }

  function usageOf(steps) {
    const parts = steps.filter(s => s.type === 'loopline.change.proposed' && s.data && s.data.usage)
      .map(s => 'attempt ' + s.attempt + ': ' + fmt(s.data.usage.inputTokens) + ' in / ' + fmt(s.data.usage.outputTokens) + ' out' + (s.data.maker && s.data.maker.model ? ' (' + s.data.maker.model + ')' : ''));
    return parts.length ? el('div', { class: 'muted' }, parts.join(' · '), ' — USD per loop and day: see Budget') : null;
  }

  async function renderTickApproval(section, tick) {
    if (!tick.approvalId && tick.outcome !== 'awaiting-approval') { section.append(el('p', { class: 'muted' }, 'This tick needs no approval.')); return; }
    if (!state.session.services.gate) { section.append(el('p', { class: 'muted' }, 'The dashboard is not connected to the gate.')); return; }
    try {
      const list = await api('/api/v1/approvals?loop=' + encodeURIComponent(tick.loopId) + '&limit=50');
      const request = list.find(a => a.tickId === tick.tickId);
      if (!request) { section.append(el('p', { class: 'muted' }, 'No approval request is recorded for this tick yet.')); return; }
      section.append(approvalCard(request, () => showTick(tick.tickId, true)));
    } catch (e) { failed(section, e); }
  }

  // Unified diff → files → hunks → lines, with each finding after the line it names (new side).
  function renderDiff(text, findings) {
    const root = el('div', { class: 'diff-view', id: 'diff' });
    // the agent's and the checker's findings can name the same thing: show each once
    const seen = new Set();
    findings = findings.filter(f => { const k = [f.ruleId, f.file, f.line, f.message].join('|'); return !seen.has(k) && seen.add(k); });
    const byFile = new Map();
    const loose = [];
    for (const f of findings) {
      if (f.file) { if (!byFile.has(f.file)) byFile.set(f.file, []); byFile.get(f.file).push(f); } else loose.push(f);
    }
    const shown = new Set();
    for (const f of loose) { root.append(findingNode(f)); shown.add(f); }
    let file = null, box = null, oldNo = 0, newNo = 0, path = null;
    const attach = (lineNo, afterNode) => {
      for (const f of byFile.get(path) || []) {
        if (!shown.has(f) && f.line === lineNo) { afterNode.after(findingNode(f)); shown.add(f); }
      }
    };
    const lines = text.replace(/\n$/, '').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.startsWith('diff --git ')) {
        const m = / b\/(.*)$/.exec(line);
        path = m ? m[1] : line;
        box = el('div', { class: 'diff', 'data-file': path }, el('div', { class: 'file' }, path));
        root.append(box); file = path;
        for (const f of byFile.get(path) || []) if (f.line == null) { box.append(findingNode(f)); shown.add(f); }
        continue;
      }
      if (!box) continue;
      if (line.startsWith('+++ ') || line.startsWith('--- ') || line.startsWith('index ') || line.startsWith('new file') || line.startsWith('deleted file') || line.startsWith('similarity') || line.startsWith('rename ')) {
        if (line.startsWith('rename to ')) { box.querySelector('.file').textContent = file + ' → ' + line.slice(10); }
        continue;
      }
      const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(line);
      if (hunk) { oldNo = +hunk[1]; newNo = +hunk[2]; box.append(el('div', { class: 'hunk' }, line)); continue; }
      const kind = line[0];
      let node;
      if (kind === '+') { node = el('div', { class: 'line add', 'data-new': newNo }, el('span', { class: 'no' }, ''), el('span', { class: 'no' }, newNo), el('span', { 'aria-label': 'added' }, '+'), el('span', {}, line.slice(1))); box.append(node); attach(newNo, node); newNo++; }
      else if (kind === '-') { node = el('div', { class: 'line del', 'data-old': oldNo }, el('span', { class: 'no' }, oldNo), el('span', { class: 'no' }, ''), el('span', { 'aria-label': 'removed' }, '−'), el('span', {}, line.slice(1))); box.append(node); oldNo++; }
      else if (kind === ' ') { node = el('div', { class: 'line', 'data-new': newNo }, el('span', { class: 'no' }, oldNo), el('span', { class: 'no' }, newNo), el('span', {}, ' '), el('span', {}, line.slice(1))); box.append(node); attach(newNo, node); oldNo++; newNo++; }
      else if (line.startsWith('\\')) { box.append(el('div', { class: 'hunk' }, line)); }
    }
    // findings on a file or line the diff does not show (a deleted file, a line outside the hunks)
    for (const [p, list] of byFile) for (const f of list) if (!shown.has(f)) {
      const target = root.querySelector('.diff[data-file="' + CSS.escape(p) + '"]') || root;
      target.append(findingNode(f));
    }
    if (!root.childNodes.length) root.append(el('p', { class: 'muted' }, 'The diff is empty.'));
    return root;
  }

  function findingNode(f) {
    return el('div', { class: 'finding ' + (f.severity || ''), role: 'note', 'data-rule': f.ruleId, 'data-line': f.line },
      pill(f.severity || 'finding', f.severity), ' ', el('strong', {}, f.ruleId), ' ',
      f.file ? el('span', { class: 'muted' }, f.file + (f.line ? ':' + f.line : '')) : null,
      el('div', {}, f.message), f.evidence ? el('div', { class: 'muted' }, f.evidence) : null);
  }

  // ---------- approvals ----------
  function approvalCard(a, after) {
    const approvals = (a.votes || []).filter(v => v.approve).length;
    const card = el('div', { class: 'approval', 'data-approval': a.id },
      el('dl', { class: 'facts' },
        el('dt', {}, 'State'), el('dd', {}, pill(a.state.toLowerCase()), a.reason ? ' ' + a.reason : ''),
        el('dt', {}, 'Quorum'), el('dd', { class: 'quorum' }, approvals + ' of ' + a.quorum + ' approvals'),
        el('dt', {}, 'Expires'), el('dd', {}, time(a.expiresAt)),
        el('dt', {}, 'Loop · team'), el('dd', {}, el('a', { href: '#/ticks/' + encodeURIComponent(a.tickId) }, a.loopId), ' · ' + a.team),
        el('dt', {}, 'Change'), el('dd', {}, a.summary || '—', a.findings && a.findings.length ? el('div', { class: 'muted' }, a.findings.length + ' finding(s)') : null),
        el('dt', {}, 'Votes'), el('dd', {}, (a.votes || []).length ? el('ul', {}, a.votes.map(v => el('li', {}, (v.approve ? 'approved' : 'rejected') + ' by ' + v.by + ' via ' + v.channel.toLowerCase() + (v.comment ? ': ' + v.comment : '') + ' · ' + time(v.at)))) : 'none yet')));
    // an approver bound to one team may vote on that team's changes only (the gate refuses the others anyway)
    const mayVote = state.session.may.approve && (state.session.role === 'admin' || !state.session.team || state.session.team === a.team);
    if (a.state === 'OPEN' && mayVote) {
      const commentId = 'comment-' + a.id;
      const comment = el('textarea', { id: commentId, name: 'comment', maxlength: '4000' });
      const decide = approve => async () => {
        if (!approve && !comment.value.trim()) { toast('Say why you reject it in the comment.'); comment.focus(); return; }
        try {
          const answer = await api('/api/v1/approvals/' + encodeURIComponent(a.id) + '/' + (approve ? 'approve' : 'reject'), { body: { comment: comment.value } });
          toast(answer.message || 'recorded', true);
          after();
        } catch (e) { toast(e.message); }
      };
      card.append(el('label', { for: commentId }, 'Comment'), comment,
        el('div', { class: 'row' }, el('button', { type: 'button', class: 'approve', onclick: decide(true) }, 'Approve'),
          el('button', { type: 'button', class: 'danger reject', onclick: decide(false) }, 'Reject')));
    }
    return card;
  }

  async function showApprovals() {
    const section = el('section', { class: 'panel', 'aria-labelledby': 'approvals-title' }, el('h2', { id: 'approvals-title' }, 'Approvals'));
    app.replaceChildren(section);
    if (!state.session.services.gate) { section.append(el('p', { class: 'muted' }, 'The dashboard is not connected to the gate (loopline.dashboard.gate-url).')); return; }
    const select = el('select', { id: 'approval-state', onchange: () => load() },
      ['open', 'merged', 'rejected', 'expired', 'voided'].map(s => el('option', { value: s }, s)));
    const list = el('div', { id: 'approvals' });
    section.append(el('div', { class: 'row' }, el('label', { for: 'approval-state' }, 'Show'), select));
    if (!state.session.may.approve) section.append(el('p', { class: 'muted' }, 'Your role (' + state.session.role + ') may read approvals but not decide them.'));
    else if (state.session.team && state.session.role !== 'admin') section.append(el('p', { class: 'muted' }, 'You approve for team ' + state.session.team + '.'));
    section.append(list);
    async function load() {
      list.replaceChildren(el('p', { class: 'muted' }, 'loading…'));
      try {
        const items = await api('/api/v1/approvals?state=' + select.value + '&limit=100');
        list.replaceChildren(...(items.length ? items.map(a => el('div', { class: 'panel' }, approvalCard(a, load))) : [el('p', { class: 'muted' }, 'None.')]));
      } catch (e) { list.replaceChildren(); failed(list, e); }
    }
    await load();
  }

  // ---------- kill switch ----------
  async function showControl() {
    const section = el('section', { class: 'panel', 'aria-labelledby': 'control-title' }, el('h2', { id: 'control-title' }, 'Kill switch'));
    const log = el('section', { class: 'panel', 'aria-labelledby': 'log-title' }, el('h2', { id: 'log-title' }, 'Control log'));
    app.replaceChildren(section, log);
    const may = state.session.may.operate;
    if (may) {
      const scope = el('select', { id: 'kill-scope', name: 'scope' }, ['team', 'loop', 'global'].map(s => el('option', { value: s }, s)));
      const id = el('input', { id: 'kill-id', name: 'id', placeholder: 'team or loop id', autocomplete: 'off' });
      const reason = el('input', { id: 'kill-reason', name: 'reason', placeholder: 'why', autocomplete: 'off', required: true });
      scope.addEventListener('change', () => { id.disabled = scope.value === 'global'; });
      const form = el('form', { id: 'kill-form', class: 'row' },
        el('div', {}, el('label', { for: 'kill-scope' }, 'Scope'), scope),
        el('div', {}, el('label', { for: 'kill-id' }, 'Id'), id),
        el('div', {}, el('label', { for: 'kill-reason' }, 'Reason'), reason),
        el('button', { type: 'submit', class: 'danger', id: 'kill' }, 'Kill…'));
      form.addEventListener('submit', async ev => {
        ev.preventDefault();
        const target = scope.value === 'global' ? 'everything (global)' : scope.value + ' ' + id.value;
        if (!reason.value.trim()) { toast('A kill needs a reason.'); reason.focus(); return; }
        if (!await confirmAction('Halt ' + target + '?', 'Running ticks of ' + target + ' are halted and no new ones start until someone resumes it. Reason: ' + reason.value)) return;
        try {
          await api('/api/v1/control/kill', { body: { scope: scope.value, id: scope.value === 'global' ? null : id.value, reason: reason.value } });
          toast('Halted ' + target, true);
          showControl();
        } catch (e) { toast(e.message); }
      });
      section.append(form);
    } else {
      section.append(el('p', { class: 'muted' }, 'Your role (' + state.session.role + ') may see the kill switch but not use it.'));
    }
    try {
      const switches = await api('/api/v1/control');
      const killed = switches.filter(s => s.state === 'killed');
      section.append(el('h3', {}, 'Halted now'), killed.length ? scroll(el('table', { id: 'killed' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Scope'), el('th', {}, 'Reason'), el('th', {}, 'By'), el('th', {}, 'Since'), may ? el('th', {}, '') : null)),
        el('tbody', {}, killed.map(s => el('tr', { 'data-scope': s.scope + ':' + (s.id || 'global') },
          el('td', {}, pill('killed'), ' ', s.scope + (s.id ? ' ' + s.id : '')), el('td', {}, s.reason), el('td', {}, s.by), el('td', {}, time(s.at)),
          may ? el('td', {}, el('button', { type: 'button', class: 'secondary resume', onclick: () => resume(s) }, 'Resume…')) : null))))) : el('p', { class: 'muted' }, 'Nothing is halted by a kill switch.'));
    } catch (e) { failed(section, e); }
    try {
      const events = await api('/api/v1/control/events?limit=50');
      log.append(scroll(el('table', { id: 'control-log' },
        el('thead', {}, el('tr', {}, el('th', {}, 'When'), el('th', {}, 'What'), el('th', {}, 'Scope'), el('th', {}, 'Who'), el('th', {}, 'Why'))),
        el('tbody', {}, events.map(e => el('tr', {}, el('td', {}, time(e.time)), el('td', {}, pill(e.type)),
          el('td', {}, e.scope.kind + (e.scope.kind === 'global' ? '' : ' ' + e.scope.id)), el('td', {}, e.by || '—'), el('td', {}, e.reason || '—')))))));
    } catch (e) { failed(log, e); }
  }

  async function resume(s) {
    const target = s.scope + (s.id ? ' ' + s.id : '');
    if (!await confirmAction('Resume ' + target + '?', 'Ticks of ' + target + ' may start again.')) return;
    try {
      await api('/api/v1/control/resume', { body: { scope: s.scope, id: s.id, reason: 'resumed from the dashboard by ' + state.session.name } });
      toast('Resumed ' + target, true);
      showControl();
    } catch (e) { toast(e.message); }
  }

  // ---------- budget ----------
  async function showBudget() {
    const section = el('section', { class: 'panel', 'aria-labelledby': 'budget-title' }, el('h2', { id: 'budget-title' }, 'Budget'),
      el('p', { class: 'muted' }, 'Today per team against its daily cap, with the burn rate and where it runs out, and the last 7 days.'));
    app.replaceChildren(section);
    try {
      const [today, history, events] = await Promise.all([api('/api/v1/budget'), api('/api/v1/budget/history?days=7'),
        api('/api/v1/control/events?limit=200').catch(() => [])]);
      const cards = el('div', { class: 'cards', id: 'budget-cards' });
      const scopes = today.filter(b => b.scope.kind !== 'loop');
      for (const b of scopes) {
        const key = b.scope.kind + ':' + b.scope.id;
        const days = history.filter(h => h.scope.kind === b.scope.kind && h.scope.id === b.scope.id);
        const crossings = events.filter(e => e.scope.kind === b.scope.kind && e.scope.id === b.scope.id && e.type !== 'killed' && e.type !== 'resumed');
        cards.append(el('div', { class: 'panel budget', 'data-scope': key },
          el('h3', {}, b.scope.kind === 'global' ? 'Global' : 'Team ' + b.scope.id),
          el('dl', { class: 'facts' },
            el('dt', {}, 'Spent today'), el('dd', { class: 'spent-today' }, fmt(b.spent) + ' tokens' + (b.cap != null ? ' of ' + fmt(b.cap) : ' (no cap)') + ' · ' + usd(b.usdSpent) + (b.usdCap != null ? ' of ' + usd(b.usdCap) : '')),
            el('dt', {}, 'Held'), el('dd', {}, fmt(b.held)),
            el('dt', {}, 'Burn rate'), el('dd', {}, fmt(b.burnRatePerHour) + ' tokens/h' + (b.usdBurnRatePerHour != null ? ' · ' + usd(b.usdBurnRatePerHour) + '/h' : '')),
            el('dt', {}, 'Runs out'), el('dd', {}, b.projectedExhaustionAt ? time(b.projectedExhaustionAt) : 'not today')),
          burnDown(b), weekBars(days, b.cap),
          crossings.length ? el('ul', { class: 'crossings' }, crossings.slice(0, 5).map(e => el('li', {}, time(e.time) + ' · ' + e.type + (e.reason ? ': ' + e.reason : '')))) : null));
      }
      if (!scopes.length) cards.append(el('p', { class: 'muted' }, 'No team has a cap or spent anything today.'));
      section.append(cards);
      const loops = today.filter(b => b.scope.kind === 'loop');
      const teamOf = new Map((state.loops || []).map(l => [l.loopId, l.team]));
      section.append(el('h3', {}, 'Per loop today'), scroll(el('table', { id: 'loop-budget' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Loop'), el('th', { class: 'hide-narrow' }, 'Team'), el('th', { class: 'num' }, 'Spent'), el('th', { class: 'num' }, 'Cap'),
          el('th', { class: 'num hide-narrow' }, 'Burn/h'), el('th', { class: 'num' }, 'USD'), el('th', {}, 'Use'))),
        el('tbody', {}, loops.map(b => el('tr', { 'data-scope': 'loop:' + b.scope.id }, el('td', {}, b.scope.id), el('td', { class: 'hide-narrow' }, teamOf.get(b.scope.id) || '—'),
          el('td', { class: 'num' }, fmt(b.spent)), el('td', { class: 'num' }, fmt(b.cap)), el('td', { class: 'num hide-narrow' }, fmt(b.burnRatePerHour)),
          el('td', { class: 'num' }, usd(b.usdSpent)), el('td', {}, meter(b))))))));
    } catch (e) { failed(section, e); }
  }

  // Today's burn-down: remaining tokens from the day's start (the cap) to its reset; the straight line to now is the
  // average so far, the dashed one where the current burn rate takes it; the dotted lines are the 80/90/100 % marks.
  function burnDown(b) {
    const W = 520, H = 190, L = 56, R = 10, T = 12, B = 26;
    const reset = new Date(b.resetsAt).getTime(), start = reset - 24 * 3600e3, now = Date.now();
    const cap = b.cap != null ? b.cap : Math.max(b.spent + b.held, 1) * 1.25;
    const remaining = Math.max(cap - b.spent, 0);
    const x = t => L + (W - L - R) * Math.min(Math.max((t - start) / (reset - start), 0), 1);
    const y = v => T + (H - T - B) * (1 - Math.max(v, 0) / cap);
    const nodes = [
      svg('title', {}, 'Remaining tokens today: ' + fmt(remaining) + (b.cap != null ? ' of ' + fmt(b.cap) : '')),
      svg('line', { class: 'axis', x1: L, y1: y(0), x2: W - R, y2: y(0) }), svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: y(0) }),
      b.cap != null ? svg('line', { class: 'ideal', x1: x(start), y1: y(cap), x2: x(reset), y2: y(0) })
        : svg('text', { x: (L + W) / 2, y: T + 12, 'text-anchor': 'middle' }, 'no cap: the scale is today\'s use'),
      svg('text', { x: L - 4, y: y(cap) + 4, 'text-anchor': 'end' }, fmt(cap)), svg('text', { x: L - 4, y: y(0) + 4, 'text-anchor': 'end' }, '0'),
      svg('text', { x: L, y: H - 6 }, '00:00'), svg('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, 'reset ' + clock(b.resetsAt))];
    if (b.cap != null) for (const p of [80, 90]) nodes.push(svg('line', { class: 'threshold', x1: L, x2: W - R, y1: y(cap * (1 - p / 100)), y2: y(cap * (1 - p / 100)) }), svg('text', { x: W - R, y: y(cap * (1 - p / 100)) - 2, 'text-anchor': 'end' }, p + ' %'));
    nodes.push(svg('polyline', { class: 'spent', points: x(start) + ',' + y(cap) + ' ' + x(now) + ',' + y(remaining) }));
    nodes.push(svg('circle', { cx: x(now), cy: y(remaining), r: 4, fill: '#79c0ff' }));
    if (b.cap != null && b.burnRatePerHour > 0) {
      const end = b.projectedExhaustionAt ? new Date(b.projectedExhaustionAt).getTime() : reset;
      const left = b.projectedExhaustionAt ? 0 : remaining - b.burnRatePerHour * (reset - now) / 3600e3;
      nodes.push(svg('polyline', { class: 'projection', points: x(now) + ',' + y(remaining) + ' ' + x(end) + ',' + y(left) }));
    }
    return svg('svg', { class: 'chart burn-down', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Burn-down today: ' + fmt(b.spent) + ' tokens spent, ' + fmt(remaining) + ' left', 'data-spent': b.spent }, nodes);
  }

  // The last 7 days' settled tokens, one bar a day; the dashed line is today's cap.
  function weekBars(days, cap) {
    const W = 520, H = 150, L = 56, R = 10, T = 10, B = 24;
    const today = new Date();
    const labels = [];
    for (let i = 6; i >= 0; i--) { const d = new Date(today); d.setDate(d.getDate() - i); labels.push(d.toISOString().slice(0, 10)); }
    const spentOn = new Map(days.map(d => [d.day, d.spent]));
    // the ledger's days are the scope's own; a day missing from the 7 labels is still shown by its date
    for (const d of days) if (!labels.includes(d.day)) { labels.shift(); labels.push(d.day); labels.sort(); }
    const max = Math.max(cap || 0, ...labels.map(l => spentOn.get(l) || 0), 1);
    const slot = (W - L - R) / labels.length;
    const y = v => T + (H - T - B) * (1 - v / max);
    const nodes = [svg('title', {}, 'Tokens spent on each of the last 7 days'),
      svg('line', { class: 'axis', x1: L, y1: y(0), x2: W - R, y2: y(0) }),
      svg('text', { x: L - 4, y: y(max) + 4, 'text-anchor': 'end' }, fmt(max)), svg('text', { x: L - 4, y: y(0) + 4, 'text-anchor': 'end' }, '0')];
    labels.forEach((day, i) => {
      const v = spentOn.get(day) || 0;
      const bar = svg('rect', { class: 'bar' + (i === labels.length - 1 ? ' today' : ''), x: L + i * slot + slot * 0.15, y: y(v), width: slot * 0.7, height: Math.max(y(0) - y(v), 0), 'data-day': day, 'data-spent': v });
      bar.append(svg('title', {}, day + ': ' + fmt(v) + ' tokens'));
      nodes.push(bar, svg('text', { x: L + i * slot + slot / 2, y: H - 6, 'text-anchor': 'middle' }, day.slice(5)));
    });
    if (cap) nodes.push(svg('line', { class: 'cap', x1: L, x2: W - R, y1: y(cap), y2: y(cap) }));
    return svg('svg', { class: 'chart week', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Tokens per day, last 7 days' }, nodes);
  }

  function meter(b) {
    const W = 120, H = 12;
    const used = b.cap ? Math.min((b.spent + b.held) / b.cap, 1) : 0;
    return svg('svg', { class: 'chart meter', viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': b.cap ? Math.round(used * 100) + ' % of the cap' : 'no cap' },
      svg('rect', { x: 0, y: 0, width: W, height: H, fill: '#2b3645', rx: 3 }),
      svg('rect', { x: 0, y: 0, width: W * used, height: H, fill: used >= 0.9 ? '#ff7b72' : used >= 0.8 ? '#e3b341' : '#56d364', rx: 3 }));
  }

  start().catch(e => { app.replaceChildren(el('p', { class: 'error' }, 'The dashboard cannot start: ' + e.message)); });
})();
