// Bridge dashboard: plain browser JavaScript, no build step and no network beyond this middleware.
// It speaks the same control API as curl and the CLI trainer (docs/contracts.md).
'use strict';

(() => {
  const KEY_STORAGE = 'bridge.apiKey';
  // The conversation keeps the latest exchanges on screen; "Show earlier" pages further back up to the ceiling.
  const MAX_EXCHANGES_SHOWN = 200;
  const HISTORY_PAGE = 200;
  const MAX_EXCHANGES_CEILING = 2000;
  const MAX_SAMPLES = 500;
  // Live events never trigger requests of their own: they mark panels stale, and one tick a second refreshes each
  // stale panel (one request each, never two at once), and every panel at least every REFRESH_MS regardless.
  // At delay 0 that is a few requests a second however many exchanges complete; new exchanges are drawn in batches.
  const TICK_MS = 1000;
  const REFRESH_MS = 2000;
  const DRAW_MS = 250;

  // Series drawn from GET /api/cerebrum/status, in this order; any other numeric metric is drawn after them.
  const SERIES_LABELS = {
    vocabulary: 'Vocabulary (words)',
    held_out_perplexity: 'Held-out perplexity',
    distinct_1: 'Distinct-1',
    distinct_2: 'Distinct-2',
    non_verbatim_share: 'Non-verbatim replies',
    mean_relevance: 'Mean relevance',
    ngram_types: 'N-gram types',
    tokens: 'Tokens',
  };
  const SERIES_SKIPPED = new Set(['ngram_order', 'replies_measured', 'held_out_sentences', 'held_out_evaluated']);

  const $ = (id) => document.getElementById(id);
  const state = {
    apiKey: localStorage.getItem(KEY_STORAGE) || '',
    sessionId: null,
    shown: new Set(),
    cap: MAX_EXCHANGES_SHOWN,
    queued: [],
    samples: [],
    events: null,
    reconnectTimer: null,
  };

  // ---- HTTP -------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, title, detail, errors) {
      super(detail || title);
      this.status = status;
      this.title = title;
      this.detail = detail;
      this.errors = errors || {};
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (state.apiKey) headers['X-Api-Key'] = state.apiKey;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'Middleware unreachable', `${method} ${path} failed: ${e.message}. Is the middleware still running?`);
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: described below */ }
    if (!response.ok) {
      if (json && (json.title || json.detail)) {
        throw new ApiError(response.status, json.title || `HTTP ${response.status}`, json.detail || '', json.errors);
      }
      throw new ApiError(response.status, `HTTP ${response.status} ${response.statusText}`, text.slice(0, 300));
    }
    return json;
  }

  // ---- Errors -----------------------------------------------------------------------------------------------

  function showError(error) {
    $('error-title').textContent = error.title || 'Error';
    $('error-detail').textContent = error.detail || error.message || '';
    const list = $('error-list');
    list.replaceChildren();
    for (const [field, messages] of Object.entries(error.errors || {})) {
      for (const message of [].concat(messages)) {
        const li = document.createElement('li');
        li.textContent = `${field}: ${message}`;
        list.append(li);
      }
    }
    $('error').hidden = false;
  }

  function clearError() { $('error').hidden = true; }

  async function guarded(action) {
    try {
      await action();
    } catch (e) {
      showError(e instanceof ApiError ? e : new ApiError(0, 'Error', e.message));
    }
  }

  // ---- Control ----------------------------------------------------------------------------------------------

  async function start(event) {
    event.preventDefault();
    const body = {};
    const max = $('max-exchanges').value.trim();
    const delay = $('delay').value.trim();
    const topic = $('topic').value.trim();
    if (max !== '') body.max_exchanges = Number(max);
    if (delay !== '') body.delay = Number(delay);
    if (topic !== '') body.topic = topic;
    $('start-button').disabled = true;
    await guarded(async () => {
      const session = await api('POST', '/api/training/start', body);
      clearError();
      follow(session.session_id);
      renderProgress(session);
      markStale('sessions', 'status');
    });
    $('start-button').disabled = false;
  }

  async function stop(sessionId) {
    await guarded(async () => {
      const path = sessionId ? `/api/training/stop?session_id=${encodeURIComponent(sessionId)}` : '/api/training/stop';
      await api('POST', path);
      clearError();
      markStale('status', 'sessions');
      tick();
    });
  }

  // ---- Conversation -----------------------------------------------------------------------------------------

  // Shows one session's conversation. The start response, the session_started event and the first exchange_completed
  // arrive in any order, so following the same session again must not clear what is already shown.
  function follow(sessionId) {
    if (state.sessionId === sessionId) return;
    state.sessionId = sessionId;
    state.shown.clear();
    state.queued = [];
    state.cap = MAX_EXCHANGES_SHOWN;
    $('conversation').replaceChildren();
    $('conversation-empty').hidden = false;
    $('conversation-session').textContent = sessionId ? `session ${sessionId.slice(0, 8)}` : '';
    updateEarlierButton();
  }

  // Live exchanges wait here and are drawn together every DRAW_MS; only the newest `cap` of them can ever be shown.
  function queueExchange(exchange) {
    follow(exchange.session_id);
    state.queued.push(exchange);
    if (state.queued.length > state.cap) state.queued.splice(0, state.queued.length - state.cap);
  }

  function drawQueued() {
    if (state.queued.length === 0) return;
    const batch = state.queued;
    state.queued = [];
    addExchanges(batch);
  }

  // Adds exchanges (any order, duplicates ignored) keeping the list in sequence order and at most `cap` long.
  function addExchanges(exchanges) {
    const list = $('conversation');
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
    let appendedAtEnd = false;
    for (const exchange of exchanges) {
      if (exchange.session_id && exchange.session_id !== state.sessionId) continue;
      const id = exchange.exchange_id || `${state.sessionId}:${exchange.sequence}`;
      if (state.shown.has(id)) continue;
      state.shown.add(id);
      const item = renderExchange(exchange);
      const last = list.lastElementChild;
      if (!last || Number(last.dataset.sequence) < exchange.sequence) {
        list.append(item);
        appendedAtEnd = true;
      } else {
        const after = [...list.children].find((li) => Number(li.dataset.sequence) > exchange.sequence);
        list.insertBefore(item, after || null);
      }
    }
    while (list.children.length > state.cap) {
      const first = list.firstElementChild;
      state.shown.delete(first.dataset.exchangeId);
      first.remove();
    }
    $('conversation-empty').hidden = list.children.length > 0;
    if (appendedAtEnd && atBottom) list.scrollTop = list.scrollHeight;
    updateEarlierButton();
  }

  // One exchange as the conversation shows it: everything about how an exchange looks lives here.
  function renderExchange(exchange) {
    const item = document.createElement('li');
    item.className = 'exchange';
    item.dataset.sequence = exchange.sequence;
    item.dataset.exchangeId = exchange.exchange_id || `${state.sessionId}:${exchange.sequence}`;
    const meta = document.createElement('div');
    meta.className = 'meta';
    const phase = exchange.learner_phase ? ` · learner ${exchange.learner_phase}` : '';
    const observations = exchange.learner_observations != null ? ` · ${exchange.learner_observations} observations` : '';
    meta.textContent = `#${exchange.sequence} · ${exchange.topic || ''}${phase}${observations}`;
    item.append(meta, line('teacher', 'Teacher', exchange.teacher_message ?? exchange.teacher),
      line('learner', 'Learner', exchange.learner_response ?? exchange.learner), reviewControls(item.dataset.exchangeId, exchange.review));
    return item;
  }

  function line(kind, who, text) {
    const row = document.createElement('div');
    row.className = `line ${kind}`;
    const label = document.createElement('span');
    label.className = 'who';
    label.textContent = who;
    const body = document.createElement('span');
    body.className = 'text';
    body.textContent = text ?? '';
    row.append(label, body);
    return row;
  }

  // The latest page of the latest session's log: the log is paged (?after=&limit=), so ask for its size first.
  async function loadLatestLog() {
    try {
      const head = await api('GET', '/api/training/log?limit=1');
      follow(head.session_id);
      const after = Math.max(0, head.total - MAX_EXCHANGES_SHOWN);
      const log = await api('GET', `/api/training/log?session_id=${encodeURIComponent(head.session_id)}&after=${after}&limit=${MAX_EXCHANGES_SHOWN}`);
      addExchanges((log.exchanges || []).map((e) => ({ ...e, session_id: log.session_id })));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) showError(e);
    }
  }

  // The page of exchanges before the first one shown.
  async function loadEarlier() {
    const first = $('conversation').firstElementChild;
    if (!first || !state.sessionId) return;
    const before = Number(first.dataset.sequence);
    const limit = Math.min(HISTORY_PAGE, before - 1);
    if (limit < 1) return;
    await guarded(async () => {
      const log = await api('GET', `/api/training/log?session_id=${encodeURIComponent(state.sessionId)}&after=${before - 1 - limit}&limit=${limit}`);
      state.cap = Math.min(MAX_EXCHANGES_CEILING, state.cap + limit);
      addExchanges((log.exchanges || []).map((e) => ({ ...e, session_id: log.session_id })));
    });
  }

  function updateEarlierButton() {
    const first = $('conversation').firstElementChild;
    $('earlier-button').hidden = !first || Number(first.dataset.sequence) <= 1 || state.cap >= MAX_EXCHANGES_CEILING;
  }

  // ---- Reviews: the teacher's verdict per exchange, and a person's approve (a) / deny (d) -----------------------

  // The controls of one exchange: verdict, reasons, a reason and a better reply to send, approve and deny.
  function reviewControls(exchangeId, review) {
    const box = document.createElement('div');
    box.className = 'review';
    box.dataset.exchangeId = exchangeId;
    const verdict = document.createElement('span');
    verdict.className = 'review-verdict';
    const reason = document.createElement('input');
    reason.className = 'review-reason';
    reason.type = 'text';
    reason.maxLength = 1000;
    reason.placeholder = 'reason (optional)';
    const correction = document.createElement('input');
    correction.className = 'review-correction';
    correction.type = 'text';
    correction.maxLength = 4000;
    correction.placeholder = 'better reply (optional)';
    const approve = reviewButton('approve', 'Approve (a)', () => decide(exchangeId, true));
    const deny = reviewButton('deny', 'Deny (d)', () => decide(exchangeId, false));
    box.append(verdict, reason, correction, approve, deny);
    fillReview(box, review);
    return box;
  }

  function reviewButton(kind, label, action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `link review-${kind}`;
    button.textContent = label;
    button.addEventListener('click', action);
    return button;
  }

  function fillReview(box, review) {
    const verdict = box.querySelector('.review-verdict');
    box.dataset.status = review ? review.status : 'none';
    box.dataset.decision = review && review.human ? (review.human.approved ? 'approved' : 'denied') : '';
    if (!review) {
      verdict.textContent = 'not reviewed';
    } else if (review.status !== 'reviewed') {
      verdict.textContent = 'unreviewed';
      verdict.title = review.error || '';
    } else {
      const person = review.human ? ` · ${review.human.approved ? 'approved' : 'denied'} by a person` : '';
      const score = review.score != null ? ` ${review.score.toFixed(2)}` : '';
      verdict.textContent = `${review.verdict || ''}${score}${person}`.trim();
      verdict.title = [...(review.reasons || []), review.better_reply ? `Better: ${review.better_reply}` : ''].filter(Boolean).join('\n');
      const correction = box.querySelector('.review-correction');
      if (review.better_reply && !correction.value) correction.placeholder = `better reply, e.g. ${review.better_reply}`;
    }
  }

  function renderReview(exchangeId, review) {
    const box = [...document.querySelectorAll('.review')].find((b) => b.dataset.exchangeId === exchangeId);
    if (box) fillReview(box, review);
  }

  async function decide(exchangeId, approved) {
    const box = [...document.querySelectorAll('.review')].find((b) => b.dataset.exchangeId === exchangeId);
    if (!box) return;
    const body = { approved };
    const reason = box.querySelector('.review-reason').value.trim();
    const correction = box.querySelector('.review-correction').value.trim();
    if (reason) body.reason = reason;
    if (correction) body.correction = correction;
    await guarded(async () => {
      const review = await api('POST', `/api/training/exchanges/${encodeURIComponent(exchangeId)}/review`, body);
      clearError();
      fillReview(box, review);
    });
  }

  // a / d decide the exchange that holds the focus, else the one last clicked, else the newest; typing in a field is left alone.
  function onReviewKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || (event.key !== 'a' && event.key !== 'd')) return;
    if (event.target.closest && event.target.closest('input, textarea, select')) return;
    const item = (event.target.closest && event.target.closest('.exchange'))
      || document.querySelector('.exchange.selected')
      || $('conversation').lastElementChild;
    const box = item && item.querySelector('.review');
    if (!box) return;
    event.preventDefault();
    decide(box.dataset.exchangeId, event.key === 'a');
  }

  function onExchangeClick(event) {
    const item = event.target.closest('.exchange');
    if (!item) return;
    for (const other of document.querySelectorAll('.exchange.selected')) other.classList.remove('selected');
    item.classList.add('selected');
  }

  // ---- Live events ------------------------------------------------------------------------------------------

  function connectEvents() {
    if (state.events) state.events.close();
    clearTimeout(state.reconnectTimer);
    const query = state.apiKey ? `?api_key=${encodeURIComponent(state.apiKey)}` : '';
    const events = new EventSource(`/api/training/events${query}`);
    state.events = events;
    setFeed('connecting', 'connecting…');

    events.onopen = () => setFeed('live', 'live');
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        // The server refused the stream (e.g. 401): ask the status endpoint why, and retry later.
        setFeed('error', 'disconnected');
        guarded(refreshStatus);
        state.reconnectTimer = setTimeout(connectEvents, 5000);
      } else {
        setFeed('connecting', 'reconnecting…');
      }
    };
    events.addEventListener('exchange_completed', (e) => {
      queueExchange(JSON.parse(e.data));
      markStale('status', 'sessions', 'learner');
    });
    events.addEventListener('exchange_reviewed', (e) => {
      const reviewed = JSON.parse(e.data);
      renderReview(reviewed.exchange_id, reviewed.review);
    });
    events.addEventListener('session_started', (e) => {
      const started = JSON.parse(e.data);
      follow(started.session_id);
      markStale('status', 'sessions');
    });
    events.addEventListener('session_ended', () => markStale('status', 'sessions', 'learner'));
    events.addEventListener('session_status', (e) => {
      const session = JSON.parse(e.data);
      if (!state.sessionId) follow(session.session_id);
      markStale('status', 'sessions');
    });
  }

  function setFeed(kind, label) {
    $('feed-state').dataset.state = kind;
    $('feed-label').textContent = label;
  }

  // ---- Status, sessions, learner ----------------------------------------------------------------------------

  async function refreshStatus() {
    const status = await api('GET', '/api/training/status');
    const current = (status.sessions || []).find((s) => s.session_id === state.sessionId)
      || (status.sessions || [])[0]
      || (status.session_id ? status : null);
    renderProgress(current);
  }

  function renderProgress(session) {
    if (!session || !session.session_id) {
      $('progress-bar').style.width = '0';
      $('progress-label').textContent = 'No session yet.';
      return;
    }
    const max = session.max_exchanges || 0;
    const done = session.exchanges || 0;
    $('progress-bar').style.width = max ? `${Math.min(100, (100 * done) / max)}%` : '0';
    const retry = session.last_error && session.status === 'paused' ? ` · retrying: ${session.last_error}` : '';
    $('progress-label').textContent = `${session.session_id.slice(0, 8)} · ${session.status} · ${done}/${max || '?'} exchanges${session.topic ? ` · ${session.topic}` : ''}${retry}`;
    $('progress-label').dataset.exchanges = String(done);
  }

  async function refreshSessions() {
    const list = await api('GET', '/api/training/sessions');
    const sessions = list.sessions || [];
    const body = $('sessions').tBodies[0];
    body.replaceChildren(...sessions.slice(0, 50).map(sessionRow));
    $('sessions-empty').hidden = sessions.length > 0;
  }

  function sessionRow(session) {
    const row = document.createElement('tr');
    row.dataset.sessionId = session.session_id;
    const cells = [
      session.session_id.slice(0, 8),
      null,
      `${session.exchanges}/${session.max_exchanges}`,
      session.topic || '',
      session.started_at ? new Date(session.started_at).toLocaleString() : '',
    ];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      if (i === 0) { td.className = 'id'; td.title = session.session_id; }
      if (i === 2) { td.className = 'exchanges'; td.dataset.exchanges = String(session.exchanges); }
      if (i === 1) {
        const badge = document.createElement('span');
        badge.className = `status ${session.status}`;
        badge.textContent = session.status;
        td.append(badge);
      } else {
        td.textContent = text;
      }
      row.append(td);
    });
    const actions = document.createElement('td');
    if (session.status === 'running' || session.status === 'paused') {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link stop-one';
      button.textContent = 'stop';
      button.addEventListener('click', () => stop(session.session_id));
      actions.append(button);
    }
    row.append(actions);
    return row;
  }

  // ---- Refresh: coalesced, one request per panel at a time -------------------------------------------------

  const panels = {
    status: { refresh: () => refreshStatus(), stale: true, busy: false, last: 0 },
    sessions: { refresh: () => refreshSessions(), stale: true, busy: false, last: 0 },
    learner: { refresh: () => refreshLearner(), stale: true, busy: false, last: 0 },
  };

  function markStale(...names) {
    for (const name of names) panels[name].stale = true;
  }

  async function refreshPanel(name) {
    const panel = panels[name];
    if (panel.busy) return;
    panel.busy = true;
    panel.stale = false;
    panel.last = Date.now();
    try {
      await panel.refresh();
    } catch {
      // The next tick tries again; errors the person must see are shown by the actions themselves.
    } finally {
      panel.busy = false;
    }
  }

  function tick() {
    const now = Date.now();
    for (const [name, panel] of Object.entries(panels)) {
      if (panel.stale || now - panel.last >= REFRESH_MS) refreshPanel(name);
    }
  }

  async function refreshLearner() {
    let status;
    try {
      status = await api('GET', '/api/cerebrum/status');
    } catch (e) {
      $('learner-phase').textContent = 'unreachable';
      $('metrics-empty').textContent = e.detail || e.message;
      $('metrics-empty').hidden = false;
      return;
    }
    $('learner-phase').textContent = status.phase ?? '–';
    $('learner-observations').textContent = fmt(status.observations);
    $('learner-vocabulary').textContent = fmt(status.vocabulary);
    $('learner-uptime').textContent = status.uptime_seconds != null ? duration(status.uptime_seconds) : '–';

    const last = state.samples[state.samples.length - 1];
    if (!last || last.x !== status.observations) {
      const values = { vocabulary: status.vocabulary };
      for (const [key, value] of Object.entries(status.metrics || {})) {
        if (typeof value === 'number' && !SERIES_SKIPPED.has(key)) values[key] = value;
      }
      state.samples.push({ x: status.observations, values });
      if (state.samples.length > MAX_SAMPLES) state.samples.shift();
      renderCharts();
    }
  }

  // ---- Charts (inline SVG) ----------------------------------------------------------------------------------

  function renderCharts() {
    const keys = [...Object.keys(SERIES_LABELS), ...new Set(state.samples.flatMap((s) => Object.keys(s.values)))]
      .filter((k, i, all) => all.indexOf(k) === i && state.samples.some((s) => typeof s.values[k] === 'number'));
    const container = $('metrics');
    container.replaceChildren(...keys.map(chart));
    $('metrics-empty').hidden = keys.length > 0;
  }

  function chart(key) {
    const points = state.samples.filter((s) => typeof s.values[key] === 'number').map((s) => [s.x, s.values[key]]);
    const figure = document.createElement('figure');
    figure.className = 'chart';
    figure.dataset.series = key;
    figure.dataset.points = String(points.length);
    figure.style.margin = '0';
    const title = document.createElement('h3');
    const name = document.createElement('span');
    name.textContent = SERIES_LABELS[key] || key.replaceAll('_', ' ');
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = fmt(points[points.length - 1][1]);
    title.append(name, value);
    figure.append(title, svgFor(points));
    return figure;
  }

  function svgFor(points) {
    const W = 300, H = 90, L = 34, R = 6, T = 6, B = 16;
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    if (y0 === y1) { const pad = Math.abs(y0) * 0.1 || 1; y0 -= pad; y1 += pad; }
    const px = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
    const py = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);

    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('role', 'img');
    const el = (tag, attrs, text) => {
      const node = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      if (text !== undefined) node.textContent = text;
      svg.append(node);
      return node;
    };
    el('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B });
    el('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B });
    el('text', { x: L - 3, y: T + 7, 'text-anchor': 'end' }, short(y1));
    el('text', { x: L - 3, y: H - B, 'text-anchor': 'end' }, short(y0));
    el('text', { x: L, y: H - 4 }, short(x0));
    el('text', { x: W - R, y: H - 4, 'text-anchor': 'end' }, `${short(x1)} obs.`);
    el('polyline', { class: 'series', points: points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ') });
    const [lx, ly] = points[points.length - 1];
    el('circle', { class: 'dot', cx: px(lx).toFixed(1), cy: py(ly).toFixed(1), r: 2.5 });
    return svg;
  }

  function fmt(value) {
    if (value == null) return '–';
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(3);
  }

  function short(value) {
    const a = Math.abs(value);
    if (a >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
    if (a >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
    if (Number.isInteger(value)) return String(value);
    return a >= 100 ? value.toFixed(0) : value.toFixed(2);
  }

  function duration(seconds) {
    const s = Math.floor(seconds);
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
    return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  }

  // ---- Wiring -----------------------------------------------------------------------------------------------

  function saveApiKey(event) {
    event.preventDefault();
    state.apiKey = $('api-key').value.trim();
    if (state.apiKey) localStorage.setItem(KEY_STORAGE, state.apiKey);
    else localStorage.removeItem(KEY_STORAGE);
    clearError();
    connectEvents();
    guarded(() => Promise.all([refreshStatus(), refreshSessions(), loadLatestLog()]));
  }

  $('api-key').value = state.apiKey;
  $('api-key-form').addEventListener('submit', saveApiKey);
  $('start-form').addEventListener('submit', start);
  $('stop-button').addEventListener('click', () => stop(null));
  $('error-close').addEventListener('click', clearError);
  document.addEventListener('keydown', onReviewKey);
  $('conversation').addEventListener('click', onExchangeClick);
  $('earlier-button').addEventListener('click', loadEarlier);

  connectEvents();
  guarded(loadLatestLog);
  tick();
  setInterval(tick, TICK_MS);
  setInterval(drawQueued, DRAW_MS);
})();
