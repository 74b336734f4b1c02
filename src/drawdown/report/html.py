"""Assemble the report as ONE self-contained HTML file: inline CSS, SVG and a little JS.

Nothing in the page refers to any network address: no CDN, no web font, no remote image.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from drawdown.report.analysis_sections import ANALYSIS_SECTIONS
from drawdown.report.figure_data import (
    AnalysisSection,
    Figure,
    HeadlineFigure,
    NotAvailable,
    ReportContent,
    SourceRow,
)
from drawdown.report.registry import FIGURES

# The page around the figures: the headline first, then the figures with a section of their
# own (the registry's, in its order), the plan's sections, the analyses present, and these.
HEAD = (("headline", "Headline"),)
PLAN_SECTIONS = (
    ("movements", "Movements"),
    ("constraints", "Binding constraints"),
    ("gain", "Optimiser gain"),
)
TAIL = (
    ("sources", "Assumptions and sources"),
    ("manifest", "Run manifest"),
)
# Every section of a report without analyses, in page order (with the registry's figures).
SECTIONS = (
    *HEAD,
    *((e.key, e.nav) for e in FIGURES if e.section is None),
    *PLAN_SECTIONS,
    *TAIL,
)

CSS = """
:root { --ink:#222; --muted:#666; --line:#ddd; --accent:#1f4e79; --bg:#fff; --card:#f6f7f9; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif; color:var(--ink); background:var(--bg); }
header { background:var(--accent); color:#fff; padding:1.2rem 2rem 0.6rem; }
header h1 { margin:0; font-size:1.6rem; }
header p { margin:0.2rem 0 0.6rem; opacity:0.9; }
nav { display:flex; flex-wrap:wrap; gap:0.2rem 1rem; font-size:0.85rem; }
nav a { color:#fff; text-decoration:none; opacity:0.85; }
nav a:hover { opacity:1; text-decoration:underline; }
main { max-width:1100px; margin:0 auto; padding:0 1.5rem 3rem; }
section { padding-top:1.2rem; border-bottom:1px solid var(--line); padding-bottom:1rem; }
h2 { font-size:1.25rem; color:var(--accent); margin:0.4rem 0 0.6rem; }
h3 { font-size:1rem; margin:0.9rem 0 0.3rem; }
.cards { display:grid; grid-template-columns:repeat(auto-fill, minmax(230px, 1fr)); gap:0.8rem; }
.card { background:var(--card); border-radius:6px; padding:0.7rem 0.9rem; }
.card .label { font-size:0.8rem; color:var(--muted); text-transform:uppercase;
  letter-spacing:0.03em; }
.card .value { font-size:1.45rem; font-weight:600; }
.card .interval, .card .note { font-size:0.8rem; color:var(--muted); }
figure { margin:0; }
svg.figure { width:100%; height:auto; display:block; }
figcaption { font-size:0.85rem; color:var(--muted); margin-top:0.3rem; }
table { border-collapse:collapse; width:100%; font-size:0.82rem; }
th, td { padding:0.25rem 0.5rem; border-bottom:1px solid var(--line); text-align:left;
  vertical-align:top; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
thead th { background:#eef1f5; position:sticky; top:0; }
table.sortable th { cursor:pointer; user-select:none; white-space:nowrap; }
table.sortable th[aria-sort=ascending]::after { content:" \\25B2"; font-size:0.7em; }
table.sortable th[aria-sort=descending]::after { content:" \\25BC"; font-size:0.7em; }
.scroll { max-height:70vh; overflow:auto; border:1px solid var(--line); }
.estimate { color:#8a5a00; }
.muted { color:var(--muted); }
p.lead { font-size:1.05rem; margin:0.2rem 0 0.8rem; }
figure.not-available { max-width:520px; border:1px dashed var(--line); }
dl.manifest { display:grid; grid-template-columns:max-content 1fr; gap:0.2rem 1rem;
  font-size:0.9rem; }
dl.manifest dt { color:var(--muted); }
dl.manifest dd { margin:0; font-family:ui-monospace, Menlo, Consolas, monospace; }
@media print {
  header { background:none; color:var(--ink); padding:0; }
  nav { display:none; }
  main { max-width:none; padding:0; }
  section { break-inside:avoid-page; border:none; }
  section#movements, section#sources { break-inside:auto; }
  figure { break-inside:avoid; }
  .scroll { max-height:none; overflow:visible; border:none; }
  thead th { position:static; }
  body { font-size:11pt; }
}
"""

# Sort a table by the clicked column: numbers by value (data-v holds the raw number).
SORT_JS = """
(function () {
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          var vx = x.dataset.v !== undefined ? parseFloat(x.dataset.v) : x.textContent;
          var vy = y.dataset.v !== undefined ? parseFloat(y.dataset.v) : y.textContent;
          var r = (typeof vx === 'number') ? vx - vy : String(vx).localeCompare(String(vy));
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
    });
  });
})();
"""


def navigation(content: ReportContent) -> tuple[tuple[str, str], ...]:
    """The sections in page order: the analyses present go before the sources."""
    present = {a.key for a in content.analyses}
    return (
        *HEAD,
        *((f.key, f.nav) for f in content.figures),
        *PLAN_SECTIONS,
        *((k, name) for k, name in ANALYSIS_SECTIONS if k in present),
        *TAIL,
    )


def render_html(content: ReportContent, svgs: dict[str, str]) -> str:
    """The whole page; `svgs` maps a figure's key to its inline SVG."""
    titles = dict((*HEAD, *PLAN_SECTIONS, *TAIL))
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(content.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<header><h1>{escape(content.title)}</h1><p>{escape(content.subtitle)}</p><nav>",
        *(f'<a href="#{key}">{escape(name)}</a>' for key, name in navigation(content)),
        "</nav></header><main>",
        _section(
            "headline",
            titles["headline"],
            "".join(f'<p class="lead">{escape(t)}</p>' for t in content.headline_text)
            + _cards(content.headline),
        ),
    ]
    for fig in content.figures:
        parts.append(_section(fig.key, fig.title, _figure(fig, svgs)))
    parts.append(_section("movements", "The plan's daily movements", _movements(content)))
    parts.append(_section("constraints", titles["constraints"], _constraints(content)))
    parts.append(_section("gain", "Optimiser gain over the greedy baseline", _gain(content)))
    order = [k for k, _ in ANALYSIS_SECTIONS]
    for analysis in sorted(content.analyses, key=lambda a: order.index(a.key)):
        parts.append(_section(analysis.key, analysis.title, _analysis(analysis, svgs)))
    parts.append(_section("sources", titles["sources"], _sources(content.sources)))
    parts.append(_section("manifest", titles["manifest"], _manifest(content)))
    parts.append(f"</main><script>{SORT_JS}</script></body></html>\n")
    return "\n".join(parts)


def _figure(fig: Figure, svgs: dict[str, str]) -> str:
    if isinstance(fig.data, NotAvailable):  # drawn small: it holds one sentence
        return f'<figure class="not-available">{svgs[fig.key]}</figure>'
    return f"<figure>{svgs[fig.key]}<figcaption>{escape(fig.caption)}</figcaption></figure>"


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{escape(title)}</h2>\n{body}\n</section>'


def _cards(figures: tuple[HeadlineFigure, ...]) -> str:
    cards = []
    for f in figures:
        extra = f'<div class="interval">{escape(f.interval)}</div>' if f.interval else ""
        runs = f" · {f.runs:,} runs" if f.runs else ""
        note = f'<div class="note">{escape(f.note)}{runs}</div>' if f.note or runs else ""
        cards.append(
            f'<div class="card"><div class="label">{escape(f.label)}</div>'
            f'<div class="value">{escape(f.value)}</div>{extra}{note}</div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _analysis(section: AnalysisSection, svgs: dict[str, str]) -> str:
    parts = [f"<p>{escape(text)}</p>" for text in section.paragraphs]
    for fig in section.figures:
        parts.append(
            f'<figure id="figure-{fig.key}"><h3>{escape(fig.title)}</h3>{svgs[fig.key]}'
            f"<figcaption>{escape(fig.caption)}</figcaption></figure>"
        )
    for table_data in section.tables:
        table = _table(table_data.frame, sortable=True, formats=table_data.formats)
        parts.append(f'<h3>{escape(table_data.caption)}</h3><div class="scroll">{table}</div>')
    return "\n".join(parts)


def _table(
    frame: pd.DataFrame,
    *,
    sortable: bool = False,
    index: bool = False,
    formats: dict[str, str] | None = None,
) -> str:
    if index:
        frame = frame.reset_index()
    formats = formats or {}
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    head = "".join(
        f'<th{" class=num" if num else ""} scope="col">{escape(str(c))}</th>'
        for c, num in zip(frame.columns, numeric, strict=True)
    )
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, v, num in zip(frame.columns, values, numeric, strict=True):
            if num and column in formats:
                shown = format(v, formats[column]) if pd.notna(v) else "–"
                cells.append(f'<td class="num" data-v="{v}">{shown}</td>')
            elif num:
                shown = (
                    f"{v:,.1f}"
                    if isinstance(v, float) and not float(v).is_integer()
                    else (f"{v:,.0f}" if isinstance(v, (int, float)) else str(v))
                )
                cells.append(f'<td class="num" data-v="{v}">{shown}</td>')
            else:
                cells.append(f"<td>{escape(str(v))}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    cls = ' class="sortable"' if sortable else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _movements(content: ReportContent) -> str:
    frame = content.movements
    if frame.empty:
        return '<p class="muted">The plan has no movements.</p>'
    intro = (
        f"<p>{len(frame):,} movements (one row per leg on one link and day). "
        "Click a column heading to sort; click again to reverse.</p>"
    )
    return intro + f'<div class="scroll">{_table(frame, sortable=True)}</div>'


def _constraints(content: ReportContent) -> str:
    by_site = ""
    if content.site_binding is not None:
        by_site = (
            f"<p>{escape(content.site_binding_note)}</p>"
            f'<div class="scroll">{_table(content.site_binding)}</div>'
        )
    elif content.site_binding_note:
        by_site = f'<p class="muted">{escape(content.site_binding_note)}</p>'
    if not content.constraints:
        return by_site + '<p class="muted">The planner reported no binding constraint.</p>'
    items = "".join(f"<li>{escape(c)}</li>" for c in content.constraints)
    return by_site + f"<p>Limits the plan's movements reach:</p><ul>{items}</ul>"


def _gain(content: ReportContent) -> str:
    note = f"<p>{escape(content.gain_note)}</p>" if content.gain_note else ""
    if content.gain is None:
        return note or '<p class="muted">No greedy baseline was computed.</p>'
    return note + _table(content.gain.round(0), index=True)


def _sources(rows: tuple[SourceRow, ...]) -> str:
    estimates = sum(r.estimate for r in rows)
    intro = (
        f"<p>{len(rows):,} inputs: {len(rows) - estimates:,} cited, {estimates:,} estimated "
        '(marked <span class="estimate">[E]</span>, with the basis of the estimate).</p>'
    )
    body = "".join(
        f"<tr><td>{escape(r.table)}</td><td>{escape(r.item)}</td><td>{escape(r.value)}</td>"
        f"<td{' class=estimate' if r.estimate else ''}>{escape(r.source)}</td></tr>"
        for r in rows
    )
    table = (
        '<table class="sortable"><thead><tr><th scope="col">table</th><th scope="col">item</th>'
        '<th scope="col">value</th><th scope="col">source or estimate basis</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
    return intro + f'<div class="scroll">{table}</div>'


def _manifest(content: ReportContent) -> str:
    items = "".join(
        f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in content.manifest.items()
    )
    files = ""
    if content.files:
        listed = "".join(f"<li><code>{escape(f)}</code></li>" for f in content.files)
        files = f"<p>Files beside this report:</p><ul>{listed}</ul>"
    return f'<dl class="manifest">{items}</dl>{files}'
