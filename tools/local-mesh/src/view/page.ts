// The live view's page: no framework, one request for the page and one event stream.
import { POLICY_SCRIPT, POLICY_SECTION } from './policy-page';
const STYLE = `
body{font:14px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px}h2{font-size:15px;margin:18px 0 6px}
svg{border:1px solid #ddd;background:#fafafa}
.node rect{fill:#fff;stroke:#555}.node.router rect{fill:#eef}.node.version rect{fill:#efe}
.node.ingress rect{fill:#fee}.node.external rect{fill:#ffe}.edge line{stroke:#888;stroke-width:1.5}
.edge text{font-size:10px}.node text{font-size:11px}table{border-collapse:collapse}
td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}
.restarting,.starting{color:#b60}.hung{color:#c00}.up{color:#070}.err{color:#c00}
.bar{height:10px;background:#69c;display:inline-block}
a{cursor:pointer;color:#04c}
`;

const SCRIPT = `
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => '&#' + c.charCodeAt(0) + ';');
const fmt = (n, d = 1) => Number(n).toFixed(d);
function layout(graph) {
  const depth = { ingress: 0 };
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of graph.edges) {
      if (depth[e.from] !== undefined && (depth[e.to] ?? -1) < depth[e.from] + 1) {
        depth[e.to] = depth[e.from] + 1; changed = true;
      }
    }
  }
  const rows = {}, at = {};
  for (const n of graph.nodes) {
    const d = depth[n.id] ?? 0;
    rows[d] = (rows[d] ?? 0) + 1;
    at[n.id] = { x: 20 + d * 250, y: 20 + (rows[d] - 1) * 80 };
  }
  return at;
}
function edgeLabel(figures, node) {
  const f = node && node.process ? figures[node.process] : undefined;
  if (!f) return '';
  return fmt(f.rps) + ' rps · ' + fmt(f.errorRate * 100) + '% err · p50 ' + fmt(f.p50Ms) + ' p99 ' + fmt(f.p99Ms) + ' ms';
}
function drawGraph(s) {
  const at = layout(s.graph), byId = {};
  for (const n of s.graph.nodes) byId[n.id] = n;
  const ys = Object.values(at).map((p) => p.y), xs = Object.values(at).map((p) => p.x);
  let out = '';
  for (const e of s.graph.edges) {
    const a = at[e.from], b = at[e.to];
    out += '<g class="edge" data-edge="' + esc(e.from + '->' + e.to) + '"><line x1="' + (a.x + 150) + '" y1="' + (a.y + 18) +
      '" x2="' + b.x + '" y2="' + (b.y + 18) + '"/><text x="' + b.x + '" y="' + (b.y + 48) + '">' +
      esc(edgeLabel(s.figures, byId[e.to])) + '</text></g>';
  }
  for (const n of s.graph.nodes) {
    const p = at[n.id], f = n.process ? s.figures[n.process] : undefined;
    const share = n.kind === 'version' ? ' ' + (f && f.sharePercent !== undefined ? fmt(f.sharePercent, 0) : '–') + '%/' + fmt(n.weightPercent, 0) + '%' : '';
    out += '<g class="node ' + n.kind + '" data-node="' + esc(n.id) + '"><rect x="' + p.x + '" y="' + p.y +
      '" width="150" height="36" rx="6"/><text x="' + (p.x + 8) + '" y="' + (p.y + 22) + '">' + esc(n.name + share) + '</text></g>';
  }
  const svg = $('graph');
  svg.setAttribute('width', Math.max(...xs) + 360);
  svg.setAttribute('height', Math.max(...ys) + 70);
  svg.innerHTML = out;
}
function drawVersions(s) {
  $('versions').innerHTML = s.graph.nodes.filter((n) => n.process).map((n) => {
    const f = s.figures[n.process];
    const share = n.kind === 'version' ? (f.sharePercent === undefined ? '–' : fmt(f.sharePercent)) + '% of ' + fmt(n.weightPercent) + '%' : '';
    return '<tr data-figures="' + esc(n.process) + '"><td>' + esc(n.process) + '</td><td data-total>' + f.total + '</td><td>' + fmt(f.rps) +
      '</td><td class="' + (f.errorRate > 0 ? 'err' : '') + '">' + fmt(f.errorRate * 100) + '%</td><td>' + fmt(f.p50Ms) + '</td><td>' + fmt(f.p99Ms) +
      '</td><td data-share>' + share + '</td></tr>';
  }).join('');
}
function drawProcesses(s) {
  $('processes').innerHTML = s.processes.map((p) =>
    '<tr data-process="' + esc(p.label) + '"><td>' + esc(p.label) + '</td><td class="' + p.state + '" data-state="' + p.state + '">' + p.state +
    (p.state === 'restarting' ? ' in ' + p.backoffMs + ' ms' : '') + '</td><td>' + (p.pid || '') + '</td><td data-restarts>' + p.restarts +
    '</td><td>' + (p.rssBytes ? fmt(p.rssBytes / 1048576) + ' MiB' : '') + '</td></tr>').join('');
}
function drawRecent(s) {
  $('recent').innerHTML = s.recent.map((r) =>
    '<tr><td>' + esc(r.label) + '</td><td>' + esc(r.path) + '</td><td class="' + (r.status >= 500 ? 'err' : '') + '">' + r.status + '</td><td>' + fmt(r.durationMs) +
    ' ms</td><td>' + (r.traceId ? '<a data-trace="' + esc(r.traceId) + '">' + esc(r.traceId) + '</a>' : '') + '</td></tr>').join('');
}
async function showTrace(id) {
  const spans = await (await fetch('/traces/' + encodeURIComponent(id))).json();
  const start = Math.min(...spans.map((s) => s.startMs));
  const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const scale = 400 / Math.max(end - start, 0.001);
  $('trace-id').textContent = id + (spans.length ? '' : ': no spans received (yet)');
  $('waterfall').innerHTML = spans.map((s) =>
    '<tr data-span-process="' + esc(s.process) + '"><td>' + esc(s.process) + '</td><td>' + esc(s.name) + '</td><td><span style="margin-left:' +
    fmt((s.startMs - start) * scale, 0) + 'px;width:' + Math.max(1, s.durationMs * scale).toFixed(0) + 'px" class="bar"></span> ' + fmt(s.durationMs, 2) + ' ms</td></tr>').join('');
}
document.addEventListener('click', (event) => {
  const id = event.target.getAttribute && event.target.getAttribute('data-trace');
  if (id) showTrace(id);
});
const events = new EventSource('/events');
events.onmessage = (message) => {
  const s = JSON.parse(message.data);
  $('title').textContent = s.name + ': live mesh view';
  drawGraph(s); drawVersions(s); drawProcesses(s); drawRecent(s); drawPolicy(s);
  document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
};
`;

export const VIEW_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Live mesh view</title><style>${STYLE}</style></head>
<body><h1 id="title">Live mesh view</h1>
<svg id="graph" width="600" height="200"></svg>
<h2>Requests per process (last 10 s)</h2>
<table><thead><tr><th>process</th><th>total</th><th>rps</th><th>5xx</th><th>p50 ms</th><th>p99 ms</th><th>share / weight</th></tr></thead><tbody id="versions"></tbody></table>
${POLICY_SECTION}
<p id="fault-error" class="err"></p>
<h2>Processes</h2>
<table><thead><tr><th>process</th><th>state</th><th>pid</th><th>restarts</th><th>RSS</th></tr></thead><tbody id="processes"></tbody></table>
<h2>Last requests</h2>
<table><thead><tr><th>process</th><th>path</th><th>status</th><th>duration</th><th>trace id</th></tr></thead><tbody id="recent"></tbody></table>
<h2>Trace <span id="trace-id">(choose a trace id)</span></h2>
<table><tbody id="waterfall"></tbody></table>
<script>${SCRIPT}${POLICY_SCRIPT}</script></body></html>`;
