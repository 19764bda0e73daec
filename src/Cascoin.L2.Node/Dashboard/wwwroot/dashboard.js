// The cascoind dashboard: JSON from /l2/api/*, live updates from the WebSocket subscriptions at /ws.
// Everything from the node is written with textContent, never as HTML.
'use strict';

const state = { socket: null, live: false, height: null, blocks: [] };
const $ = (id) => document.getElementById(id);

async function api(name, params) {
  const query = params ? '?' + new URLSearchParams(params).toString() : '';
  const response = await fetch('/l2/api/' + name + query, { credentials: 'same-origin', cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function text(id, value) { $(id).textContent = value === null || value === undefined ? '–' : String(value); }
const short = (hash) => hash ? hash.slice(0, 10) + '…' + hash.slice(-6) : '–';
const ms = (value) => value === null || value === undefined ? '–' : Math.round(value) + ' ms';

function row(cells, className) {
  const tr = document.createElement('tr');
  if (className) tr.className = className;
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell && typeof cell === 'object') { td.textContent = cell.text; td.className = cell.className || ''; td.title = cell.title || ''; }
    else td.textContent = cell === null || cell === undefined ? '–' : String(cell);
    tr.appendChild(td);
  }
  return tr;
}

function fill(id, rows) { $(id).replaceChildren(...rows); }

function plot(id, points, key) {
  const svg = $(id);
  const values = points.map((p) => p[key]);
  const max = Math.max(1, ...values.filter((v) => v !== null && v !== undefined));
  const coordinates = values.map((v, i) => `${i},${100 - ((v ?? 0) / max) * 95}`).join(' ');
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', coordinates);
  svg.replaceChildren(line);
  text(id + '-max', 'max ' + (Math.round(max * 10) / 10));
}

function setHeight(height) {
  if (height === null || height === undefined) return;
  state.height = height;
  text('height', height);
}

function showNetwork(s) { text('network', s.network + (s.chainid !== null && s.chainid !== undefined ? ' · chain ' + s.chainid : '')); }

async function refreshStatus() {
  const s = await api('stats');
  showNetwork(s);
  setHeight(s.height);
  text('finalized', s.finalized);
  text('anchored', s.anchored);
  text('l1height', s.l1height);
  text('peers', s.peers + ' (' + s.banned + ')');
  text('sync', s.sync);
  text('leader', s.leader);
  text('finality', ms(s.finality.p50ms) + ' / ' + ms(s.finality.p99ms));
  text('basefee', s.basefee);
  text('mempool', s.mempool.transactions + ' tx');
  text('tps', Math.round(s.tps * 10) / 10);
  plot('plot-tps', s.history, 'tps');
  plot('plot-finality', s.history, 'finalityms');
  plot('plot-basefee', s.history, 'basefee');
}

async function refreshSequencers() {
  const s = await api('sequencers');
  text('sequencers-note', s.note || ('Height ' + s.height + ', round ' + s.round + ': the leader is ' + s.leader + '.'));
  fill('sequencer-rows', s.sequencers.map((q) => {
    const uptime = q.uptime === null || q.uptime === undefined ? null : Math.round(q.uptime * 1000) / 10 + ' %';
    const tr = row([{ text: q.address, className: 'hash' }, q.endpoint, q.stake, q.score, uptime, q.l1height, new Date(q.expires * 1000).toLocaleString(),
      q.isleader ? 'leader' : q.demoted ? 'demoted' : ''], q.isleader ? 'leader' : q.demoted ? 'demoted' : '');
    tr.dataset.address = q.address;
    return tr;
  }));
}

function blockRow(b) {
  return row([b.number, { text: short(b.hash), className: 'hash', title: b.hash }, b.ntx ?? (b.tx ? b.tx.length : ''), b.gasused,
    b.basefeepergas, { text: short(b.sequencer), title: b.sequencer }, new Date(b.timestamp).toLocaleTimeString()]);
}

async function refreshBlocks() {
  const [blocks, transactions] = await Promise.all([api('blocks'), api('transactions')]);
  state.blocks = blocks.blocks.filter((b) => b);
  fill('block-rows', state.blocks.map(blockRow));
  fill('transaction-rows', transactions.transactions.map((t) => row([{ text: short(t.txid), className: 'hash', title: t.txid },
    t.blocknumber, t.type, { text: short(t.from), title: t.from }, { text: short(t.to), title: t.to }, t.value])));
}

async function refreshBridge() {
  const s = await api('withdrawals');
  const bridge = s.bridge || {};
  text('locked', bridge.locked);
  text('deposits', bridge.deposits);
  text('withdrawntoday', bridge.withdrawntoday);
  text('anchorcount', bridge.anchors);
  fill('withdrawal-rows', s.withdrawals.map((w) => row([{ text: short(w.txid), className: 'hash', title: w.txid }, w.status,
    { text: short(w.recipient), title: w.recipient }, w.amount, w.l2block, w.anchorindex, w.finalatheight])));
  fill('anchor-rows', s.anchors.map((a) => row([a.index, a.firstblock + '–' + a.lastblock, a.transactions, a.l1bytes, a.l1height, a.status])));
}

async function refreshAlerts() {
  const s = await api('alerts');
  $('alerts-empty').hidden = s.alerts.length > 0;
  fill('alert-rows', s.alerts.map((a) => row([a.id, a.time, { text: a.severity, className: 'severity-' + a.severity }, a.kind,
    { text: a.message, title: JSON.stringify(a.evidence) }])));
}

const pages = { status: refreshStatus, sequencers: refreshSequencers, blocks: refreshBlocks, bridge: refreshBridge, alerts: refreshAlerts };

function currentPage() { const name = location.hash.slice(1); return pages[name] ? name : 'status'; }

async function show() {
  const name = currentPage();
  for (const section of document.querySelectorAll('section.page')) section.hidden = section.id !== name;
  for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.getAttribute('href') === '#' + name);
  try { await pages[name](); } catch (error) { console.error(error); }
}

function showResult(title, value) {
  const pre = document.createElement('pre');
  pre.textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const heading = document.createElement('h3');
  heading.textContent = title;
  $('result-body').replaceChildren(heading, pre);
  $('result').hidden = false;
}

async function search(query) {
  query = query.trim();
  try {
    if (/^\d+$/.test(query)) showResult('Block ' + query, (await api('blocks', { number: query })).blocks[0]);
    else if (/^[0-9a-fA-F]{64}$/.test(query)) {
      try { showResult('Transaction ' + query, await api('transactions', { hash: query })); }
      catch { showResult('Block ' + query, (await api('blocks', { hash: query })).blocks[0]); }
    } else showResult('Address ' + query, await api('transactions', { address: query }));
  } catch (error) {
    showResult('Nothing found for ' + query, error.message);
    $('result-body').querySelector('pre').className = 'error';
  }
}

// Live: newHeads moves the height and the block list at once; the rest refreshes the page shown.
function connect() {
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  state.socket = socket;
  let id = 0;
  socket.onopen = () => {
    for (const topic of ['newHeads', 'finalized', 'anchors', 'withdrawals', 'alerts'])
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'l2_subscribe', params: [topic] }));
    state.live = true;
    $('live').textContent = 'live';
    $('live').className = 'badge live';
  };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.method !== 'l2_subscription') return;
    const result = message.params.result;
    if (result.number !== undefined && result.parenthash !== undefined) {
      setHeight(result.number);
      if (currentPage() === 'blocks') {
        state.blocks = [result, ...state.blocks].slice(0, 20);
        fill('block-rows', state.blocks.map(blockRow));
      }
    } else if (result.anchorindex !== undefined && result.number !== undefined) {
      text('finalized', result.number);
    } else if (result.severity !== undefined && result.kind !== undefined) {
      if (currentPage() === 'alerts') refreshAlerts().catch(console.error);
    } else if (currentPage() === 'bridge') {
      refreshBridge().catch(console.error);
    }
  };
  socket.onclose = () => {
    state.live = false;
    $('live').textContent = 'polling';
    $('live').className = 'badge down';
    setTimeout(connect, 3000);
  };
}

window.addEventListener('hashchange', show);
$('search').addEventListener('submit', (event) => { event.preventDefault(); search($('query').value); });
$('close-result').addEventListener('click', () => { $('result').hidden = true; });
// The page shown refreshes every 5 s; without the WebSocket the height is polled every 2 s.
setInterval(() => { if (!document.hidden) show(); }, 5000);
setInterval(() => { if (!state.live) api('stats').then((s) => setHeight(s.height)).catch(() => {}); }, 2000);
show();
if (currentPage() !== 'status') api('stats').then(showNetwork).catch(console.error);
connect();
