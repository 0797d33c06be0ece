/** The dashboard's stylesheet: system font, cards, one accent per chart; served as /dashboard/app.css. */
export const APP_CSS = String.raw`
:root {
  --bg: #f5f6f8; --card: #fff; --ink: #16181d; --muted: #667085; --line: #e4e7ec;
  --indigo: #4f46e5; --indigo-soft: #eef2ff; --teal: #0d9488; --green: #16a34a; --amber: #d97706; --red: #dc2626;
  --radius: 12px; --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 15px; margin: 0; font-weight: 600; }
h3 { font-size: 13px; margin: 16px 0 8px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.nowrap { white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }

.top {
  display: flex; align-items: center; justify-content: space-between; gap: 16px; flex-wrap: wrap;
  padding: 12px 28px; background: var(--card); border-bottom: 1px solid var(--line);
}
.brand { font-weight: 700; font-size: 16px; }
.logo { color: var(--indigo); }
.session { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
button { white-space: nowrap; }
.pill { display: inline-block; padding: 2px 10px; border-radius: 999px; background: var(--indigo-soft); color: var(--indigo); font-weight: 600; font-size: 12px; }

main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 48px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 20px 22px; margin-bottom: 20px; min-width: 0; }
.card-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; margin-bottom: 14px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
.grid.wide-left { grid-template-columns: 3fr 2fr; align-items: start; }
.sticky { position: sticky; top: 16px; }
.grid > .card { margin-bottom: 20px; }
@media (max-width: 900px) { .grid, .grid.wide-left { grid-template-columns: 1fr; gap: 0; } main { padding: 16px; } .sticky { position: static; } }
@media (max-width: 640px) {
  .top { padding: 10px 16px; }
  .funnel { flex-direction: column; gap: 2px; }
  .step { flex: none; flex-direction: row-reverse; justify-content: flex-end; gap: 8px; padding-left: 4px; }
  .step .arrow { transform: rotate(90deg); }
  .tiles { grid-template-columns: 1fr; }
}

button, select, input { font: inherit; }
button, select { border-radius: 8px; border: 1px solid var(--line); background: var(--card); padding: 6px 12px; color: var(--ink); cursor: pointer; }
button.ghost:hover, select:hover { background: var(--bg); }
button.primary { background: var(--indigo); border-color: var(--indigo); color: #fff; padding: 9px 16px; font-weight: 600; }
button.primary:hover { filter: brightness(1.08); }
:focus-visible { outline: 2px solid var(--indigo); outline-offset: 2px; }

.signin { max-width: 420px; margin: 56px auto; padding: 28px; }
.signin form { display: grid; gap: 6px; margin-top: 16px; }
.signin label { font-weight: 600; font-size: 13px; margin-top: 8px; }
.signin input { padding: 9px 11px; border: 1px solid var(--line); border-radius: 8px; }
.signin button { margin-top: 14px; }
.error { color: var(--red); margin: 8px 0 0; }
.banner { background: #fef2f2; border: 1px solid #fecaca; padding: 10px 14px; border-radius: 8px; margin: 0 0 20px; }

.funnel { display: flex; align-items: stretch; gap: 8px; }
.stage { flex: 1 1 0; min-width: 0; padding: 4px 0; }
.stage-n { font-size: 30px; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.1; }
.stage-label { color: var(--muted); font-weight: 600; margin-bottom: 10px; }
.meter { height: 8px; background: var(--bg); border-radius: 4px; overflow: hidden; }
.meter-fill { height: 100%; border-radius: 4px; background: var(--indigo); }
.meter-fill.stage-0 { background: #a5b4fc; } .meter-fill.stage-1 { background: #818cf8; }
.meter-fill.stage-2 { background: #6366f1; } .meter-fill.stage-3 { background: #4338ca; }
.step { flex: 0 0 72px; display: flex; flex-direction: column; align-items: center; justify-content: center; color: var(--muted); }
.step .rate { font-weight: 700; color: var(--ink); font-variant-numeric: tabular-nums; }
.step .arrow { font-size: 18px; line-height: 1; }
.note { margin: 16px 0 0; }

.chart svg { display: block; width: 100%; height: auto; }
.bars .grid { stroke: var(--line); stroke-dasharray: 3 3; }
.bars .axis { stroke: #cbd2dc; }
.bars .tick { fill: var(--muted); font-size: 12px; }
.bars .value { fill: var(--ink); font-size: 12px; font-weight: 600; }
.bars .bar { fill: var(--indigo); }
.bars.teal .bar { fill: var(--teal); }
.bars .bar:hover { opacity: .8; }
.empty { color: var(--muted); padding: 24px 0; text-align: center; }

.table-wrap { overflow-x: auto; }
table.list { width: 100%; border-collapse: collapse; }
.list th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; padding: 6px 8px; border-bottom: 1px solid var(--line); }
.list td { padding: 9px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.list tr:last-child td { border-bottom: 0; }
.list .who { max-width: 190px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 500; }
.list .reason { color: var(--muted); font-size: 12px; min-width: 200px; }
tr.clickable { cursor: pointer; }
tr.clickable:hover td { background: #fafbfc; }
tr.selected td { background: var(--indigo-soft) !important; }
.grade { display: inline-block; min-width: 22px; text-align: center; border-radius: 6px; font-weight: 700; font-size: 12px; padding: 1px 6px; background: #f2f4f7; color: var(--muted); }
.grade-A { background: #dcfce7; color: #166534; } .grade-B { background: #e0f2fe; color: #075985; }
.grade-C { background: #fef3c7; color: #92400e; } .grade-D { background: #fee2e2; color: #991b1b; }

.why-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.why-head strong { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.reason-box { background: var(--bg); border-radius: 8px; padding: 8px 12px; font-size: 13px; }
.breakdown { display: grid; gap: 10px; margin-top: 14px; }
.bd-row { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 3px 12px; align-items: baseline; }
.bd-bar { grid-column: 1 / -1; height: 6px; background: var(--bg); border-radius: 3px; overflow: hidden; }
.bd-fill { height: 100%; background: var(--indigo); border-radius: 3px; }
.bd-fill.negative { background: var(--red); }
.bd-points { font-weight: 600; }
.moves { margin: 0; padding-left: 18px; }
.moves li { margin: 3px 0; }

.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; }
.tile { border-radius: 10px; padding: 14px 16px; border: 1px solid var(--line); border-left-width: 4px; }
.tile-n { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
.tile-label { color: var(--muted); font-weight: 600; font-size: 12px; }
.tile-delivered { border-left-color: var(--green); }
.tile-pending { border-left-color: var(--amber); }
.tile-failed { border-left-color: var(--red); }
.failures { margin: 0; padding-left: 18px; }
.failures li { margin: 4px 0; word-break: break-all; }
`;
