// The page at /: a client of the JSON API in docs/SERVING.md. No framework, no build step.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];

  const state = {
    models: [],          // from /v1/models, in the server's order
    model: null,         // the chosen model's entry
    user: '',            // the chosen user's key
    profile: null,       // the chosen user's /v1/users/{key} answer
    tab: 'recommend',
    lastRanks: null,     // {id, ranks: Map key -> rank} of the last list shown, to mark moves
    evalShown: null,     // model name + version whose evaluation is on the page
  };
  const seq = {rec: 0, cmp: 0, eval: 0, user: 0, users: 0}; // only the newest answer of each kind is shown

  // ------------------------------------------------------------------ errors

  class ApiError extends Error {
    constructor(status, error) {
      super(error.message || ('HTTP ' + status));
      this.status = status;
      this.kind = error.kind || '';
      this.field = error.field || '';
    }
  }

  function showError(err) {
    let text;
    if (err instanceof ApiError) {
      const where = [err.status, err.kind, err.field ? 'field ' + err.field : ''].filter(Boolean).join(', ');
      text = err.message + ' (' + where + ')';
    } else {
      text = String(err && err.message ? err.message : err);
    }
    $('error').textContent = text;
    $('error-box').hidden = false;
  }

  function clearError() {
    $('error').textContent = '';
    $('error-box').hidden = true;
  }

  function notice(text) {
    $('notice').textContent = text || '';
    $('notice').hidden = !text;
  }

  window.addEventListener('error', (e) => showError('Page error: ' + e.message));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason || 'Page error'));

  /** GET (or POST with a JSON body) an API path; a JSON error or a non-2xx status throws ApiError. */
  async function api(path, body) {
    const init = body === undefined ? {} : {
      method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)};
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new Error('The server did not answer ' + path.split('?')[0] + ': ' + e.message);
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    if (json && json.error) throw new ApiError(res.status, json.error);
    if (!res.ok) throw new ApiError(res.status, {message: path.split('?')[0] + ' answered ' + res.status + ' ' + res.statusText});
    if (json === null) throw new Error(path.split('?')[0] + ' did not answer JSON');
    return json;
  }

  // ------------------------------------------------------------------ small helpers

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function debounce(fn, ms) {
    let t = 0;
    return (...args) => {
      clearTimeout(t);
      t = setTimeout(() => fn(...args), ms);
    };
  }

  const num = (x) => (typeof x === 'number' ? x : Number(x)); // the server writes NaN as "NaN"
  const fmt = (x, d = 4) => (Number.isFinite(num(x)) ? num(x).toFixed(d) : '–');
  const isMovieLens = () => state.model && state.model.kind === 'movielens';
  const noun = () => (state.model && state.model.itemNoun) || 'items';

  function dateOf(seconds) {
    if (!seconds) return '';
    const d = new Date(seconds * 1000);
    return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
  }

  function tagList(tags) {
    const ul = el('ul', {class: 'tags'});
    for (const t of tags || []) ul.append(el('li', {text: t}));
    return ul;
  }

  /** The item's year, unless its title already ends with it (MovieLens titles do). */
  function yearNote(it) {
    if (!it.year) return null;
    const title = String(it.title || '');
    return title.includes('(' + it.year + ')') ? null : el('span', {class: 'year', text: ' ' + it.year});
  }

  function showWarnings(list, warnings) {
    list.replaceChildren(...(warnings || []).map((w) => el('li', {text: w})));
    list.hidden = !warnings || warnings.length === 0;
  }

  // ------------------------------------------------------------------ request state

  function alpha() { return Number($('alpha').value); }
  function lambda() { return Number($('lambda').value); }

  function count() {
    const n = Math.round(Number($('n').value));
    return Number.isFinite(n) && n > 0 ? n : 10;
  }

  /** user, n, alpha, lambda and the context, as query parameters. */
  function requestParams() {
    const p = new URLSearchParams();
    p.set('user', state.user);
    p.set('n', String(count()));
    p.set('alpha', alpha().toFixed(2));
    p.set('lambda', lambda().toFixed(2));
    for (const [k, v] of Object.entries(context())) p.set(k === 'year' || k === 'month' ? k : 'set.' + k, v);
    return p;
  }

  /** The context as the score endpoint takes it: year and month, or field → value. */
  function context() {
    const c = {};
    if (isMovieLens()) {
      if ($('year').value.trim()) c.year = $('year').value.trim();
      c.month = $('month').value;
    } else {
      for (const input of $('context-fields').querySelectorAll('input')) {
        if (input.value.trim() !== '') c[input.dataset.field] = input.value.trim();
      }
    }
    return c;
  }

  function saveHash() {
    const p = new URLSearchParams();
    if (state.model) p.set('model', state.model.name);
    if (state.user) p.set('user', state.user);
    if (alpha() > 0) p.set('alpha', alpha().toFixed(2));
    if (lambda() > 0) p.set('lambda', lambda().toFixed(2));
    if (count() !== 10) p.set('n', String(count()));
    if (state.tab !== 'recommend') p.set('tab', state.tab);
    history.replaceState(null, '', '#' + p.toString());
  }

  // ------------------------------------------------------------------ models

  async function loadModels() {
    const d = await api('/v1/models');
    state.models = d.models;
    const pick = $('model');
    pick.replaceChildren(...d.models.map((m) => el('option', {value: m.name, text: m.name + ' (' + m.kind + ')'})));
    return d.default;
  }

  function describeModel(m) {
    const cfg = m.model || {};
    const kind = cfg.layers > 0 ? 'AutoInt, ' + cfg.layers + ' attention layers' + (cfg.dnnHidden && cfg.dnnHidden.length ? ' + DNN' : '')
      : (cfg.dnnHidden && cfg.dnnHidden.length ? 'DNN' : 'logistic regression');
    const parts = [m.kind + ' data', kind];
    if (m.canRecommend) parts.push(m.items + ' ' + m.itemNoun, m.users + ' users');
    if (m.test && m.test.auc !== undefined) parts.push('test AUC ' + fmt(m.test.auc, 3));
    parts.push('version ' + m.version);
    if (m.createdAt) parts.push('trained ' + String(m.createdAt).slice(0, 10));
    return parts.join(' · ');
  }

  /** Models trained on the same data can be compared user by user: the same fingerprint, or the same kind and sizes. */
  function sameData(a, b) {
    if (a.dataFingerprint && b.dataFingerprint) return a.dataFingerprint === b.dataFingerprint;
    return a.kind === b.kind && a.users === b.users && a.items === b.items;
  }

  /** The second model of a comparison: the others that can recommend, those of the same data first and preselected. */
  function fillComparePicker(m) {
    const pick = $('compare-model');
    const previous = pick.value;
    const others = state.models.filter((x) => x.name !== m.name && x.canRecommend);
    const same = others.filter((x) => sameData(x, m)), rest = others.filter((x) => !sameData(x, m));
    pick.replaceChildren(...same.map((x) => el('option', {value: x.name, text: x.name})),
      ...rest.map((x) => el('option', {value: x.name, text: x.name + ' (other data)'})),
      el('option', {value: m.name, text: m.name + ' (itself)'}));
    pick.value = same.some((x) => x.name === previous) ? previous : (same[0] || m).name;
  }

  /** Makes a model the chosen one: its context inputs, its users; keeps the user when the model knows them. */
  async function useModel(name, wantedUser) {
    const m = state.models.find((x) => x.name === name) || state.models[0];
    state.model = m;
    $('model').value = m.name;
    $('model-info').textContent = describeModel(m);
    state.lastRanks = null;
    fillComparePicker(m);

    $('context-movielens').hidden = m.kind !== 'movielens' || !m.canRecommend;
    $('context-table').hidden = m.kind === 'movielens' || !m.canRecommend || !Array.isArray(m.context) || m.context.length === 0;
    if (m.kind === 'movielens' && m.context) {
      $('year').value = m.context.year || '';
      $('month').value = m.context.month || '1';
    } else {
      const fields = Array.isArray(m.context) ? m.context : [];
      $('context-fields').replaceChildren(...fields.map((f) => el('div', {class: 'field'},
        el('label', {for: 'set-' + f, text: f}),
        el('input', {id: 'set-' + f, 'data-field': f, type: 'text', spellcheck: 'false'}))));
    }
    document.body.classList.toggle('no-recommend', !m.canRecommend); // nothing in the side panel applies
    for (const t of ['recommend', 'compare']) $('tab-' + t).disabled = !m.canRecommend;
    $('rec-heading').textContent = 'Top ' + noun() + ' not yet rated';
    fillScoreExample();

    if (!m.canRecommend) {
      notice('Model ' + m.name + ' has no users and items: it can score rows and show its evaluation, not recommend.');
      state.user = '';
      if (state.tab === 'recommend' || state.tab === 'compare') selectTab('eval');
      else refreshActive();
      return;
    }
    notice('');
    const users = await loadUsers('');
    let key = wantedUser || state.user;
    if (key && !(await hasUser(key))) {
      if (users.length) notice('User ' + key + ' is not in model ' + m.name + ' (or has no history); showing user ' + users[0] + '.');
      key = '';
    }
    if (!key) key = users.length ? users[0] : '';
    if (key) {
      await selectUser(key); // loads what the visible tab shows
    } else {
      notice('Model ' + m.name + ' has no user with a training history.');
      refreshActive();
    }
  }

  async function hasUser(key) {
    const d = await api('/v1/users?' + new URLSearchParams({model: state.model.name, prefix: key, limit: '1000'}));
    return d.users.includes(key);
  }

  /** Fills the picker's suggestions with users whose key starts with the prefix (users with a history only). */
  async function loadUsers(prefix) {
    const mine = ++seq.users;
    const d = await api('/v1/users?' + new URLSearchParams({model: state.model.name, prefix, limit: '50'}));
    if (mine !== seq.users) return d.users;
    $('user-list').replaceChildren(...d.users.map((u) => el('option', {value: u})));
    $('user-hint').textContent = d.matching + (prefix ? ' users start with “' + prefix + '”' : ' users')
      + '; suggestions: those with a training history. Press Enter to choose.';
    return d.users;
  }

  /**
   * Shows a user: their profile first (an unknown key stops here with the API's error, and the page keeps
   * showing the previous user), then what the visible tab shows for them.
   */
  async function selectUser(key) {
    key = key.trim();
    if (!key) return;
    clearError();
    $('user-input').value = key;
    if (!(await loadProfile(key))) return;
    state.user = key;
    saveHash();
    fillScoreExample();
    refreshActive();
  }

  // ------------------------------------------------------------------ profile and history

  /** Loads and shows a user's profile and history; false when a newer request overtook this one. */
  async function loadProfile(key) {
    const mine = ++seq.user;
    const m = state.model;
    const d = await api('/v1/users/' + encodeURIComponent(key) + '?' + new URLSearchParams({model: m.name, history: '15'}));
    if (mine !== seq.user) return false;
    state.profile = d;
    const dl = el('dl', {class: 'profile'});
    const add = (k, v) => dl.append(el('dt', {text: k}), el('dd', {text: String(v)}));
    add('user', d.user.key);
    for (const [k, v] of Object.entries(d.user.profile || {})) if (String(v) !== d.user.key) add(k, v);
    add('rated', d.rated + ' ' + noun());
    add('liked', d.liked + (d.rated ? ' (' + Math.round(100 * d.liked / d.rated) + '%)' : ''));
    $('profile').replaceChildren(dl);
    $('profile').dataset.user = d.user.key;
    // table models: show the user's latest values as the context's placeholders
    for (const input of $('context-fields').querySelectorAll('input')) {
      const v = (d.user.profile || {})[input.dataset.field];
      input.placeholder = v !== undefined && v !== null && v !== '' ? String(v) : 'latest';
    }
    const targets = d.history.some((h) => h.target !== undefined && h.target !== null);
    $('history').classList.toggle('no-target', !targets);
    $('history-target').textContent = isMovieLens() ? 'Rating' : 'Target';
    $('history').tBodies[0].replaceChildren(...d.history.map((h) => {
      const liked = h.label >= 0.5;
      return el('tr', {'data-key': h.key || String(h.item)},
        el('td', {}, el('span', {class: 'title', text: h.title || h.key || String(h.item)}), yearNote(h),
          h.tags && h.tags.length ? tagList(h.tags) : null),
        el('td', {class: 'num', text: h.target !== undefined ? String(h.target) : ''}),
        el('td', {class: liked ? 'liked' : 'not-liked', text: liked ? '✓ yes' : 'no'}),
        el('td', {text: dateOf(h.timestamp)}));
    }));
    return true;
  }

  // ------------------------------------------------------------------ recommendation lists

  /** One list item: rank, title, year, tags, score and adjusted score, explanations. */
  function itemView(it, opts) {
    const moved = opts.ranks && opts.ranks.has(it.key) ? opts.ranks.get(it.key) - it.rank : null;
    const li = el('li', {
      class: 'item' + (opts.shared ? (opts.shared.has(it.key) ? ' shared' : ' only') : ''),
      'data-key': it.key, 'data-rank': String(it.rank),
      'data-score': String(it.score), 'data-adjusted': String(it.adjustedScore),
    });
    const head = el('div', {class: 'item-head'},
      el('span', {class: 'rank', 'aria-hidden': 'true', text: String(it.rank)}),
      el('span', {class: 'title', text: it.title || it.key}), yearNote(it));
    if (opts.ranks) {
      let badge = null;
      if (moved === null) badge = el('span', {class: 'move new', title: 'not in the previous list', text: 'new'});
      else if (moved > 0) badge = el('span', {class: 'move up', title: 'up ' + moved, text: '▲' + moved});
      else if (moved < 0) badge = el('span', {class: 'move down', title: 'down ' + -moved, text: '▼' + -moved});
      if (badge) head.append(badge);
    }
    if (opts.shared) {
      head.append(opts.shared.has(it.key)
        ? el('span', {class: 'badge', text: '#' + opts.shared.get(it.key) + ' in ' + opts.otherName})
        : el('span', {class: 'badge only', text: 'only in ' + opts.name}));
    }
    li.append(head);
    if (it.tags && it.tags.length) li.append(tagList(it.tags));
    const delta = it.adjustedScore - it.score;
    const scale = opts.scale || 1; // bars of one list share a scale: 1, or the largest adjusted score above 1
    const width = (x) => 'width:' + Math.max(0, Math.min(100, 100 * x / scale)).toFixed(1) + '%';
    const bar = el('div', {class: 'score-bar', 'aria-hidden': 'true'},
      el('span', {class: 'bar-score', style: width(it.score)}),
      el('span', {class: 'bar-adjusted', style: width(it.adjustedScore)}));
    li.append(el('div', {class: 'scores'},
      el('span', {}, 'score ', el('strong', {class: 'score', text: fmt(it.score)})),
      el('span', {}, 'adjusted ', el('strong', {class: 'adjusted', text: fmt(it.adjustedScore)}),
        Math.abs(delta) > 5e-5 ? el('span', {class: 'delta', text: ' (+' + fmt(delta) + ')'}) : null),
      bar));
    const reasons = (it.reasons || []).map((r) => el('li', {text: r}));
    const model = (it.modelReasons || []).map((r) => el('li', {class: 'model-reason', text: r}));
    if (reasons.length || model.length) li.append(el('ul', {class: 'reasons', 'aria-label': 'Why'}, ...reasons, ...model));
    return li;
  }

  function scaleOf(items) {
    return Math.max(1, ...items.map((it) => it.adjustedScore).filter(Number.isFinite));
  }

  async function loadRecommendations() {
    if (!state.user || !state.model || !state.model.canRecommend) return;
    const mine = ++seq.rec;
    const list = $('recommendations');
    const p = requestParams();
    p.set('model', state.model.name);
    list.dataset.state = 'loading';
    list.setAttribute('aria-busy', 'true');
    try {
      const d = await api('/v1/recommend?' + p);
      if (mine !== seq.rec) return;
      const id = d.model + '|' + d.user;
      const ranks = state.lastRanks && state.lastRanks.id === id ? state.lastRanks.ranks : null;
      const scale = scaleOf(d.items);
      list.replaceChildren(...d.items.map((it) => itemView(it, {ranks, scale})));
      state.lastRanks = {id, ranks: new Map(d.items.map((it) => [it.key, it.rank]))};
      const ctx = Object.entries(d.context || {}).map(([k, v]) => k + ' ' + (k === 'month' ? MONTHS[v - 1] || v : v)).join(', ');
      $('rec-meta').textContent = d.items.length + ' ' + noun() + ' for user ' + d.user + ' from ' + d.model
        + (ctx ? ', context ' + ctx : '') + ' · α ' + alpha().toFixed(2) + ', λ ' + lambda().toFixed(2)
        + ' · ' + d.tookMs + ' ms';
      if (!d.items.length) list.append(el('li', {class: 'muted', text: 'No unseen ' + noun() + ' left for this user.'}));
      showWarnings($('warnings'), d.warnings);
      list.dataset.params = p.toString();
      list.dataset.state = 'ready';
    } catch (e) {
      if (mine === seq.rec) list.dataset.state = 'error';
      throw e;
    } finally {
      if (mine === seq.rec) list.removeAttribute('aria-busy');
    }
  }

  async function loadCompare() {
    if (!state.user || !state.model || !state.model.canRecommend) return;
    const mine = ++seq.cmp;
    const box = $('compare');
    const other = $('compare-model').value || state.model.name;
    const p = requestParams();
    p.set('models', state.model.name + ',' + other);
    box.dataset.state = 'loading';
    try {
      const d = await api('/v1/compare?' + p);
      if (mine !== seq.cmp) return;
      const [a, b] = d.lists;
      const rankIn = (l) => new Map(l.items.map((it) => [it.key, it.rank]));
      const ra = rankIn(a), rb = rankIn(b);
      for (const [side, l, otherRanks] of [['a', a, rb], ['b', b, ra]]) {
        $('compare-' + side + '-heading').textContent = l.model;
        $('compare-' + side + '-meta').textContent = 'version ' + l.version + ' · ' + l.tookMs + ' ms';
        const names = {name: l.model, otherName: l === a ? b.model : a.model};
        const scale = scaleOf([...a.items, ...b.items]);
        $('compare-' + side).replaceChildren(...l.items.map((it) => itemView(it, {shared: otherRanks, scale, ...names})));
      }
      $('compare-overlap').textContent = a.model === b.model
        ? 'No other model of the same data is loaded: serve a second one (e.g. trained with --model lr) to compare.'
        : d.overlap + ' of ' + Math.max(a.items.length, b.items.length)
          + ' ' + noun() + ' are in both lists; each is marked with its rank in the other list.';
      showWarnings($('compare-warnings'), [...new Set([...a.warnings, ...b.warnings])]);
      box.dataset.params = p.toString();
      box.dataset.state = 'ready';
    } catch (e) {
      if (mine === seq.cmp) box.dataset.state = 'error';
      throw e;
    }
  }

  // ------------------------------------------------------------------ evaluation

  const PRIMARY = ['auc', 'precision@', 'recall@', 'ndcg@'];
  const LABELS = {auc: 'AUC', logloss: 'log loss', gauc: 'gAUC', ndcg: 'NDCG', precision: 'Precision', recall: 'Recall',
    hitrate: 'Hit rate', map: 'MAP', mrr: 'MRR', coverage: 'Coverage'};

  function metricLabel(name) {
    const [base, k] = name.split('@');
    return (LABELS[base] || base) + (k ? '@' + k : '');
  }

  function metricsTable(metrics) {
    const rows = Object.entries(metrics || {}).map(([name, v]) => {
      const value = v && typeof v === 'object' ? v.value : v;
      const lo = v && typeof v === 'object' ? v.ciLow : undefined;
      const hi = v && typeof v === 'object' ? v.ciHigh : undefined;
      return el('tr', {'data-metric': name},
        el('th', {scope: 'row', text: metricLabel(name)}),
        el('td', {class: 'num', text: Number.isInteger(value) && Math.abs(value) > 1 ? String(value) : fmt(value)}),
        el('td', {text: lo !== undefined && lo !== null ? '[' + fmt(lo) + ', ' + fmt(hi) + ']' : '–'}),
        el('td', {class: 'num', text: v && v.n !== undefined ? String(v.n) : ''}));
    });
    return rows;
  }

  /** An SVG histogram of values (bins of 0.1 over [0, 1], wider when a value lies outside). */
  function histogram(name, values) {
    const xs = values.map(num).filter(Number.isFinite);
    const lo = Math.min(0, ...xs), hi = Math.max(1, ...xs);
    const bins = 10, width = (hi - lo) / bins;
    const counts = new Array(bins).fill(0);
    for (const x of xs) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
    const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
    const maxCount = Math.max(1, ...counts);
    const W = 400, H = 206, L = 36, R = 10, T = 24, B = 34;
    const pw = W - L - R, ph = H - T - B;
    const sx = (x) => L + (x - lo) / (hi - lo) * pw;
    const sy = (c) => T + ph - c / maxCount * ph;
    const label = metricLabel(name);
    const s = svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'histogram', role: 'img', 'data-metric': name,
      'aria-label': `${label} per user: ${xs.length} users, mean ${fmt(mean, 3)}; counts by bin ${counts.join(', ')}`});
    for (const c of [0, Math.round(maxCount / 2), maxCount]) {
      if (c === Math.round(maxCount / 2) && (c === 0 || c === maxCount)) continue;
      s.append(svg('line', {x1: L, x2: W - R, y1: sy(c), y2: sy(c), class: 'grid'}));
      s.append(svg('text', {x: L - 5, y: sy(c) + 4, 'text-anchor': 'end', class: 'tick'}, String(c)));
    }
    counts.forEach((c, i) => {
      const x0 = lo + i * width;
      const r = svg('rect', {x: sx(x0) + 1, y: sy(c), width: Math.max(1, sx(x0 + width) - sx(x0) - 2), height: sy(0) - sy(c),
        class: 'bar', 'data-count': c});
      r.append(svg('title', {}, `${fmt(x0, 1)}–${fmt(x0 + width, 1)}: ${c} user${c === 1 ? '' : 's'}`));
      s.append(r);
    });
    s.append(svg('line', {x1: L, x2: W - R, y1: sy(0), y2: sy(0), class: 'axis'}));
    for (const x of [lo, (lo + hi) / 2, hi]) {
      s.append(svg('text', {x: sx(x), y: H - B + 16, 'text-anchor': 'middle', class: 'tick'}, String(Math.round(x * 100) / 100)));
    }
    s.append(svg('text', {x: L + pw / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis-label'}, label + ' per user'));
    s.append(svg('text', {x: 4, y: 11, class: 'axis-label'}, 'users'));
    if (Number.isFinite(mean)) {
      s.append(svg('line', {x1: sx(mean), x2: sx(mean), y1: T - 10, y2: sy(0), class: 'mean'}));
      const right = sx(mean) > W - 80; // the label goes left of the line near the right edge
      s.append(svg('text', {x: right ? sx(mean) - 4 : sx(mean) + 4, y: T - 6, 'text-anchor': right ? 'end' : 'start',
        class: 'mean-label'}, 'mean ' + fmt(mean, 3)));
    }
    return el('figure', {class: 'chart'}, s,
      el('figcaption', {text: `${label}: ${xs.length} users, mean ${fmt(mean, 3)}`}));
  }

  function storedReport(file, d) {
    const box = el('section', {class: 'stored', 'data-file': file});
    box.append(el('h3', {text: file}));
    const facts = [];
    if (d && d.protocol && d.protocol.name) {
      facts.push('protocol ' + d.protocol.name + (d.protocol.k ? ', K = ' + d.protocol.k : '')
        + (d.protocol.candidates ? ' (' + d.protocol.candidates + ')' : ''));
    }
    if (d && d.model) facts.push('model ' + d.model);
    if (d && d.intervals && d.intervals.method) facts.push('intervals: ' + d.intervals.method);
    if (facts.length) box.append(el('p', {class: 'muted', text: facts.join(' · ')}));
    if (d && d.metrics && typeof d.metrics === 'object') {
      box.append(el('div', {class: 'table-wrap'}, el('table', {class: 'metrics'},
        el('thead', {}, el('tr', {}, el('th', {scope: 'col', text: 'Metric'}), el('th', {scope: 'col', class: 'num', text: 'Value'}),
          el('th', {scope: 'col', text: '95% interval'}), el('th', {scope: 'col', class: 'num', text: 'n'}))),
        el('tbody', {}, ...metricsTable(d.metrics)))));
    }
    box.append(el('details', {}, el('summary', {text: 'The whole file'}),
      el('pre', {text: JSON.stringify(d, null, 2)})));
    return box;
  }

  async function loadEval() {
    const m = state.model;
    if (!m) return;
    const key = m.name + '|' + m.version;
    if (state.evalShown === key) return;
    const mine = ++seq.eval;
    const box = $('eval');
    box.dataset.state = 'loading';
    $('eval-info').textContent = 'Computing the evaluation of ' + m.name + '…';
    try {
      const d = await api('/v1/metrics/eval?' + new URLSearchParams({model: m.name}));
      if (mine !== seq.eval) return;
      const h = d.heldOut;
      if (h) {
        $('eval-info').textContent = d.model + ' (version ' + d.version + ') on its ' + h.rows + ' held-out rows'
          + (h.protocol ? ' · protocol ' + h.protocol + ' · ' + h.users + ' users with a liked held-out item' : '');
        $('eval-metrics').tBodies[0].replaceChildren(...metricsTable(h.metrics));
      } else {
        $('eval-info').textContent = 'This bundle stores no held-out rows.';
        $('eval-metrics').tBodies[0].replaceChildren();
      }
      const per = (h && h.perUser) || {};
      const names = Object.keys(per);
      const primary = PRIMARY.map((p) => names.find((n) => n === p || (p.endsWith('@') && n.startsWith(p)))).filter(Boolean);
      const rest = names.filter((n) => !primary.includes(n));
      $('eval-charts').replaceChildren(...primary.map((n) => histogram(n, per[n])));
      if (!primary.length) $('eval-charts').append(el('p', {class: 'muted', text: 'This model has no per-user values (no users in its data).'}));
      $('eval-charts-more').replaceChildren(...rest.map((n) => histogram(n, per[n])));
      $('eval-more').hidden = rest.length === 0;
      const stored = Object.entries(d.stored || {});
      $('eval-stored').replaceChildren(...(stored.length ? stored.map(([f, s]) => storedReport(f, s))
        : [el('p', {class: 'muted', text: 'No metrics files in this bundle.'})]));
      state.evalShown = key;
      box.dataset.model = d.model;
      box.dataset.state = 'ready';
    } catch (e) {
      if (mine === seq.eval) {
        box.dataset.state = 'error';
        $('eval-info').textContent = 'The evaluation could not be loaded.';
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ score

  function fillScoreExample() {
    const m = state.model;
    if (!m) return;
    const area = $('score-rows');
    if (area.dataset.touched === 'true') return;
    let rows;
    if (m.canRecommend) {
      const hist = state.profile && state.profile.model === m.name ? state.profile.history : [];
      const items = hist.slice(0, 3).map((h) => h.key).filter(Boolean);
      rows = (items.length ? items : ['ITEM']).map((item) => Object.assign({user: state.user || 'USER', item}, context()));
      $('score-hint').textContent = 'Each row is {"user": KEY, "item": KEY} plus context'
        + (m.kind === 'movielens' ? ' ("year", "month")' : ' (any field that does not describe the item)')
        + '. The example scores the user\'s latest rated ' + noun() + '.';
    } else {
      rows = [Object.fromEntries((m.fields || []).map((f) => [f.name, null]))];
      $('score-hint').textContent = 'Each row holds the raw columns of one data row, as in the training file (the label column is not'
        + ' needed; null for a missing value). The example has one key per model field, which is often, not always, a column.';
    }
    area.value = JSON.stringify(rows, null, 1);
  }

  async function runScore() {
    clearError();
    let rows;
    try {
      rows = JSON.parse($('score-rows').value);
    } catch (e) {
      throw new Error('The rows are not valid JSON: ' + e.message);
    }
    if (!Array.isArray(rows)) throw new Error('The rows must be a JSON array of objects.');
    const d = await api('/v1/score?' + new URLSearchParams({model: state.model.name}), {rows});
    showWarnings($('score-warnings'), d.warnings);
    $('score-results').tBodies[0].replaceChildren(...d.probabilities.map((p, i) => el('tr', {},
      el('td', {class: 'num', text: String(i)}),
      el('td', {}, el('code', {text: JSON.stringify(rows[i])})),
      el('td', {class: 'num', text: fmt(p)}))));
  }

  // ------------------------------------------------------------------ tabs and wiring

  const TABS = ['recommend', 'compare', 'eval', 'score'];

  function selectTab(name, focus) {
    state.tab = name;
    for (const t of TABS) {
      const on = t === name;
      $('tab-' + t).setAttribute('aria-selected', String(on));
      $('tab-' + t).tabIndex = on ? 0 : -1;
      $('panel-' + t).hidden = !on;
    }
    if (focus) $('tab-' + name).focus();
    saveHash();
    refreshActive();
  }

  /** Loads what the visible tab shows for the current state. */
  function refreshActive() {
    const run = {recommend: loadRecommendations, compare: loadCompare, eval: loadEval, score: async () => fillScoreExample()}[state.tab];
    if (run) run().catch(showError);
  }

  const refreshSoon = debounce(() => {
    clearError();
    saveHash();
    refreshActive();
  }, 250);

  function wire() {
    $('error-close').addEventListener('click', clearError);
    $('model').addEventListener('change', () => {
      clearError();
      state.evalShown = null;
      useModel($('model').value).then(saveHash).catch(showError);
    });
    // Enter, or picking a suggestion (change), chooses the typed user once; typing again allows another try
    let tried = '';
    const choose = () => {
      const v = $('user-input').value.trim();
      if (!v || v === state.user || v === tried) return;
      tried = v;
      selectUser(v).catch(showError);
    };
    const suggest = debounce(() => loadUsers($('user-input').value.trim()).catch(showError), 200);
    $('user-input').addEventListener('input', () => {
      tried = '';
      suggest();
    });
    $('user-input').addEventListener('change', choose);
    $('user-input').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        choose();
      }
    });
    $('controls').addEventListener('submit', (e) => e.preventDefault());
    for (const [id, out] of [['alpha', 'alpha-value'], ['lambda', 'lambda-value']]) {
      $(id).addEventListener('input', () => {
        $(out).textContent = Number($(id).value).toFixed(2);
        refreshSoon();
      });
    }
    $('n').addEventListener('input', refreshSoon);
    $('year').addEventListener('input', refreshSoon);
    $('month').addEventListener('change', refreshSoon);
    $('context-fields').addEventListener('input', refreshSoon);
    $('compare-model').addEventListener('change', () => {
      clearError();
      loadCompare().catch(showError);
    });
    $('score-rows').addEventListener('input', () => { $('score-rows').dataset.touched = 'true'; });
    $('score-run').addEventListener('click', () => runScore().catch(showError));
    for (const t of TABS) $('tab-' + t).addEventListener('click', () => selectTab(t));
    document.querySelector('[role=tablist]').addEventListener('keydown', (e) => {
      const enabled = TABS.filter((t) => !$('tab-' + t).disabled);
      const i = enabled.indexOf(state.tab);
      let next = null;
      if (e.key === 'ArrowRight') next = enabled[(i + 1) % enabled.length];
      else if (e.key === 'ArrowLeft') next = enabled[(i - 1 + enabled.length) % enabled.length];
      else if (e.key === 'Home') next = enabled[0];
      else if (e.key === 'End') next = enabled[enabled.length - 1];
      if (next) {
        e.preventDefault();
        selectTab(next, true);
      }
    });
  }

  async function start() {
    wire();
    const h = new URLSearchParams(location.hash.slice(1));
    if (h.get('alpha')) $('alpha').value = h.get('alpha');
    if (h.get('lambda')) $('lambda').value = h.get('lambda');
    if (h.get('n')) $('n').value = h.get('n');
    $('alpha-value').textContent = alpha().toFixed(2);
    $('lambda-value').textContent = lambda().toFixed(2);
    const def = await loadModels();
    const tab = TABS.includes(h.get('tab')) ? h.get('tab') : 'recommend';
    for (const t of TABS) {
      $('tab-' + t).setAttribute('aria-selected', String(t === tab));
      $('tab-' + t).tabIndex = t === tab ? 0 : -1;
      $('panel-' + t).hidden = t !== tab;
    }
    state.tab = tab;
    await useModel(h.get('model') || def, h.get('user') || '');
    saveHash();
    document.body.dataset.ready = 'true';
  }

  start().catch(showError);
})();
