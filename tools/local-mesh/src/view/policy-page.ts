// The live view's traffic-policy section: retries per edge, ejected versions, and a control to
// inject or clear a fault on a version (kept in memory by the runner, marked "injected").

/** The section's table, placed in the page's body. */
export const POLICY_SECTION = `
<h2>Traffic policy</h2>
<table><thead><tr><th>edge</th><th>retries</th><th>retries/s</th><th>outlier detection</th><th>ejected</th></tr></thead><tbody id="policy"></tbody></table>
<table><thead><tr><th>version</th><th>faults</th><th></th></tr></thead><tbody id="faults"></tbody></table>`;

/** `drawPolicy(snapshot)` and the inject/clear buttons; uses the page's `$`, `esc` and `fmt`. */
export const POLICY_SCRIPT = `
const REHEARSAL = { abort: { percent: 50, status: 503 } };
function faultText(f) {
  const parts = [];
  if (f.abort) parts.push('abort ' + f.abort.percent + '% with ' + f.abort.status);
  if (f.delay) parts.push('delay ' + f.delay.percent + '% by ' + f.delay.ms + ' ms');
  return parts.join(', ') + (f.injected ? ' (injected from this view, not in the file)' : ' (from the file)');
}
function drawPolicy(s) {
  $('policy').innerHTML = s.policy.map((p) =>
    '<tr data-policy="' + esc(p.service) + '"><td>' + esc(p.edges.join(', ') || p.service) + '</td><td>' + esc(p.retries || 'none') +
    '</td><td data-retries-per-second>' + (p.retriesPerSecond === undefined ? '0' : p.retriesPerSecond + ' of ' + p.callsPerSecond + ' calls') +
    '</td><td>' + esc(p.outlierDetection || 'none') + '</td><td data-ejected class="' + (p.ejected.length ? 'err' : '') + '">' + esc(p.ejected.join(', ')) + '</td></tr>').join('');
  $('faults').innerHTML = s.policy.flatMap((p) => p.versions.map((v) => {
    const f = p.faults[v];
    const label = p.service + ' ' + v;
    return '<tr data-fault="' + esc(label) + '"><td>' + esc(label) + '</td><td data-fault-text class="' + (f ? 'err' : '') + '">' + (f ? esc(faultText(f)) : 'none') +
      '</td><td><button data-inject="' + esc(label) + '">inject 50% 503</button> ' +
      (f && f.injected ? '<button data-clear="' + esc(label) + '">clear</button>' : '') + '</td></tr>';
  })).join('');
}
async function sendFault(method, label, faults) {
  const [service, version] = label.split(' ');
  const response = await fetch('/faults', { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ service, version, faults }) });
  $('fault-error').textContent = response.ok ? '' : (await response.json()).error;
}
document.addEventListener('click', (event) => {
  const target = event.target;
  if (!target.getAttribute) return;
  const inject = target.getAttribute('data-inject'), clear = target.getAttribute('data-clear');
  if (inject) sendFault('POST', inject, REHEARSAL);
  if (clear) sendFault('DELETE', clear);
});
`;
