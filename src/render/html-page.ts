/** The fixed parts of report.html: Content-Security-Policy, stylesheet and the page script. No data here. */

/*
 * No network at all: everything is inline. 'unsafe-eval' is not granted: charts are embedded with
 * vega-embed's `ast: true`, which evaluates Vega expressions with the bundled interpreter instead of `new Function`.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'";

export const PAGE_CSS = `
:root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--hot:#c2410c;--bg:#ffffff;--soft:#f5f7fa}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,'DejaVu Sans',sans-serif}
main{max-width:1440px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:1.6rem;margin:.2em 0 .4em}
h2{font-size:1.25rem;margin:1.8em 0 .5em;padding-bottom:.2em;border-bottom:2px solid var(--line)}
h3{font-size:1rem;margin:0 0 .2em}
p,li,dd,.data{overflow-wrap:anywhere}
td{overflow-wrap:break-word}
dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:4px 24px;margin:0}
dl.facts div{display:flex;gap:8px;min-width:0}
dl.facts dt{color:var(--muted);white-space:nowrap}
dl.facts dt::after{content:':'}
dl.facts dd{margin:0;min-width:0}
ol.answers{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
li.answer{display:flex;gap:12px;padding:12px 14px;border:1px solid var(--line);border-left:4px solid var(--hot);border-radius:6px;background:var(--soft);min-width:0}
li.answer>div{min-width:0}
.answer-number{flex:none;display:inline-flex;align-items:center;justify-content:center;width:28px;height:28px;border-radius:50%;background:var(--hot);color:#fff;font-weight:700}
.statement{margin:.2em 0;font-size:1.02rem}
.statement.none{color:var(--muted)}
.answer-facts{margin:.2em 0;color:var(--muted);font-size:.9rem}
ul.evidence{margin:.3em 0 0;padding-left:1.1em;color:var(--muted);font-size:.85rem}
.candidates{margin-top:16px}
figure{margin:0 0 24px}
figure.map{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:8px}
figure.map svg{display:block;max-width:100%;height:auto;min-width:960px}
figcaption{color:var(--muted);font-size:.88rem;margin-top:6px}
#charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,720px),1fr));gap:8px 24px}
#charts h2{grid-column:1/-1}
.chart-view{overflow-x:auto;min-height:40px}
.chart.absent p{color:var(--muted);border:1px dashed var(--line);padding:10px;border-radius:6px;margin:0}
.noscript{color:var(--muted)}
.vega-bindings{font-size:.88rem;color:var(--muted);margin-top:4px}
.table-scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.88rem;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.data{min-width:9em;max-width:24em;overflow-wrap:break-word}
th button{all:unset;cursor:pointer;font-weight:700;white-space:nowrap}
th button:focus-visible{outline:2px solid #0b6e99}
th[aria-sort=ascending] button::after{content:' \\25B2'}
th[aria-sort=descending] button::after{content:' \\25BC'}
tr.value-necessary td:nth-child(3){background:#fffbe6}
tr.value-waste td:nth-child(3){background:#fdecea}
.hint{color:var(--muted);font-size:.88rem;margin:0 0 6px}
.clamp-3,.clamp-12{display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden}
.clamp-3{-webkit-line-clamp:3;line-clamp:3}
.clamp-12{-webkit-line-clamp:12;line-clamp:12}
footer{color:var(--muted);font-size:.8rem;margin-top:32px}
#sufficiency{border-left:4px solid var(--hot);padding:4px 12px;background:var(--soft);border-radius:6px}
#sufficiency h2{border-bottom:none;margin-top:.6em}
@media print{
  body{font-size:11pt}
  main{max-width:none;padding:0}
  figure,li.answer,tr{break-inside:avoid}
  figure.map{border:none;overflow:visible}
  figure.map svg{min-width:0;width:100%}
  .chart-view{overflow:visible}
  #charts{display:block}
  .vega-bindings,.hint,.noscript{display:none}
  th button::after{content:''!important}
  a{color:inherit;text-decoration:none}
}`;

/** Draws every chart with vega-embed and makes the step table sortable; reads data only from the JSON element. */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('vsm-chart-specs').textContent);
  var options = { renderer: 'svg', actions: false, ast: true };
  Object.keys(specs).forEach(function (name) {
    var container = document.getElementById('chart-' + name);
    if (!container) return;
    window.vegaEmbed(container, specs[name], options).then(function () {
      container.setAttribute('data-rendered', 'true');
    }).catch(function (error) {
      container.setAttribute('data-error', 'true');
      container.textContent = 'This chart could not be drawn: ' + String(error && error.message);
      console.error(error);
    });
  });
  function sortKey(cell) { return cell.getAttribute('data-sort') || ''; }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.querySelectorAll('thead button'), function (button) {
      button.addEventListener('click', function () {
        var column = Number(button.getAttribute('data-column'));
        var header = button.parentElement;
        var ascending = header.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(table.querySelectorAll('thead th'), function (th) { th.setAttribute('aria-sort', 'none'); });
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column], xs = sortKey(x), ys = sortKey(y), order;
          if (xs === ys) order = 0;
          else if (xs === '') order = -1;
          else if (ys === '') order = 1;
          else if (x.hasAttribute('data-numeric') && y.hasAttribute('data-numeric')) order = Number(xs) - Number(ys);
          else order = xs.localeCompare(ys);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();`;
