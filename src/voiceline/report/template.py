"""The report's Jinja2 template and stylesheet (kept in Python so a wheel needs no data files).

Autoescaping is on: every resident text, label and id is escaped; only the Plotly fragments and
plotly.js (made by Plotly, which escapes the strings inside its JSON) are marked safe.
"""

from __future__ import annotations

CSS = """
:root { --ink:#1a1a1a; --muted:#555; --line:#d0d7de; --accent:#0b4f8a; --up:#a33b00;
        --down:#005f87; --paper:#fff; --soft:#f5f7fa; }
* { box-sizing: border-box; }
body { margin:0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color:var(--ink); background:var(--paper); line-height:1.5; font-size:16px; }
.page { max-width: 1120px; margin: 0 auto; padding: 24px 32px 48px; }
.sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
.skip { position:absolute; left:-9999px; } .skip:focus { left:8px; top:8px; background:#fff; }
header.top { border-bottom: 4px solid var(--accent); padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 1.9rem; margin: 0 0 4px; }
h2 { font-size: 1.4rem; margin: 36px 0 8px; padding-bottom: 4px;
     border-bottom: 1px solid var(--line); break-after: avoid; }
h3 { font-size: 1.1rem; margin: 20px 0 6px; break-after: avoid; }
.sub { color: var(--muted); margin: 0; }
nav.toc ol { display:flex; flex-wrap:wrap; gap: 4px 18px; padding:0; margin: 10px 0 0;
             list-style:none; font-size: .95rem; }
nav.toc a { color: var(--accent); }
.cards { display:grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px;
         margin: 12px 0 16px; padding:0; }
.card { background: var(--soft); border: 1px solid var(--line); border-radius: 8px;
        padding: 10px 14px; }
.card dt { font-size: .85rem; color: var(--muted); }
.card dd { margin: 0; font-size: 1.6rem; font-weight: 700; }
.lead { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: .92rem;
        break-inside: avoid; }
table.narrow { width: auto; min-width: 45%; }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; caption-side: top; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left;
         vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid #9aa4af; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.up { color: var(--up); font-weight: 600; } .down { color: var(--down); font-weight: 600; }
.tag { display:inline-block; font-size:.75rem; font-weight:700; padding: 0 6px;
       border-radius: 4px; border: 1px solid currentColor; margin-left: 6px; }
.tag.spike { color: var(--up); } .tag.new { color: var(--accent); }
.heat-wrap { overflow-x: auto; }
table.heat { font-size: .85rem; table-layout: fixed; }
table.heat th.rowh { width: 210px; font-weight: 600; }
table.heat thead th { font-size: .78rem; vertical-align: bottom; text-align: center;
                      word-break: normal; overflow-wrap: break-word; padding: 5px 2px; }
table.heat td { text-align: center; border: 1px solid #fff; padding: 5px 2px;
                font-variant-numeric: tabular-nums; }
table.heat td.city { border-right: 3px solid #9aa4af; font-weight: 700; }
table.heat td.withheld { font-style: italic; background-image: repeating-linear-gradient(
                         45deg, transparent 0 4px, rgba(0,0,0,.06) 4px 6px); }
table.heat td.spike { outline: 3px solid var(--up); outline-offset: -3px; font-weight: 700; }
.legend { display:flex; align-items:center; gap: 8px; font-size: .85rem; color: var(--muted);
          flex-wrap: wrap; }
.legend .bar { width: 160px; height: 12px; border: 1px solid var(--line);
  background: linear-gradient(90deg, #f7fbff, #c6dbef, #6baed6, #2171b5, #08306b); }
.legend .sw { display:inline-block; width: 18px; height: 12px; border: 1px solid var(--line);
              vertical-align: middle; background: #f0f0f0; }
.legend .sp { display:inline-block; width: 18px; height: 12px; border: 3px solid var(--up);
              vertical-align: middle; }
.note { color: var(--muted); font-size: .92rem; }
.empty { background: var(--soft); border-left: 4px solid #9aa4af; padding: 8px 12px; }
blockquote { margin: 6px 0 10px; padding: 6px 12px; border-left: 4px solid var(--accent);
             background: var(--soft); break-inside: avoid; }
blockquote p { margin: 0; }
.quotes h3 .count { font-weight: 400; color: var(--muted); font-size: .9rem; }
.spike-card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px;
              margin: 10px 0; break-inside: avoid; }
.spike-card h3 { margin-top: 4px; }
.chart { width: 100%; margin: 0; break-inside: avoid; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 40px; font-size: .85rem; color: var(--muted); }
@media print {
  body { font-size: 11pt; } .page { max-width: none; padding: 0; }
  nav.toc, .skip, .modebar, .modebar-container { display: none !important; }
  a { color: inherit; text-decoration: none; }
  .card, thead th, table.heat td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="voiceline">
<title>{{ title }}</title>
<style>{{ css | safe }}</style>
{% if plotlyjs %}<script>{{ plotlyjs | safe }}</script>{% endif %}
</head>
<body>
<a class="skip" href="#summary">Skip to the summary</a>
<div class="page">
<header class="top">
  <h1>{{ title }}</h1>
  <p class="sub">What residents told us in {{ period_label }}
    {%- if prev_label %}, compared with {{ prev_label }}{% endif %}
    {%- if run_id %} &middot; run {{ run_id }}{% endif %}</p>
  <nav class="toc" aria-label="Contents"><ol>
    <li><a href="#summary">Summary</a></li>
    <li><a href="#where">Where</a></li>
    <li><a href="#trends">Trends</a></li>
    <li><a href="#spikes">Spikes</a></li>
    <li><a href="#sentiment">Sentiment</a></li>
    <li><a href="#topics">Emerging topics</a></li>
    <li><a href="#quotes">In residents' words</a></li>
    <li><a href="#followup">Follow-up items</a></li>
    <li><a href="#about">About this report</a></li>
  </ol></nav>
</header>
<main>
<section id="summary" aria-labelledby="h-summary">
<h2 id="h-summary">Summary</h2>
<dl class="cards">
  <div class="card"><dt>Records counted</dt><dd>{{ fmt_count(head.records) }}</dd></div>
  {% if head.voices is not none %}<div class="card"><dt>Voices (distinct people or campaigns)</dt>
    <dd>{{ fmt_count(head.voices) }}</dd></div>{% endif %}
  <div class="card"><dt>Concerns raised</dt><dd>{{ head.n_concerns }}</dd></div>
  <div class="card"><dt>Spikes</dt><dd>{{ head.n_spikes }}</dd></div>
  <div class="card"><dt>Items routed for follow-up</dt>
    <dd>{{ small(triage.n_items) }}</dd></div>
</dl>
{% if empty_reason %}
<p class="empty lead">{{ empty_reason }}</p>
{% else %}
<p class="lead">{{ sentences | join(" ") }}</p>
{% if head.all_suppressed %}<p class="empty">Every count this month is below the disclosure
threshold (fewer than {{ k }} records or voices), so counts, shares and quotes are withheld
throughout this report.</p>{% endif %}
<table>
<caption>Top concerns city-wide, {{ period_label }}</caption>
<thead><tr><th scope="col">Concern</th><th scope="col" class="num">Records</th>
  <th scope="col" class="num">Voices</th><th scope="col" class="num">Share of records</th>
  <th scope="col" class="num">Change vs {{ prev_label or "last month" }}</th></tr></thead>
<tbody>
{% for t in head.top %}<tr>
  <th scope="row">{{ t.label }}{% if t.spike %}<span class="tag spike">spike</span>{% endif %}</th>
  <td class="num">{{ t.n_text }}</td><td class="num">{{ t.voices }}</td>
  <td class="num">{{ t.share }}</td><td class="num {{ t.direction }}">{{ t.change }}</td></tr>
{% endfor %}</tbody></table>
<p class="note">A record can raise several concerns, so shares do not add up to 100%.
Copies of one text (including coordinated campaigns) count once.</p>
{% endif %}
</section>

<section id="where" aria-labelledby="h-where">
<h2 id="h-where">Where: concerns by neighborhood</h2>
{% if heat.rows %}
<p>Each cell is the share of the area's records that raise the concern; darker means a larger
share. Outlined cells are spikes. <q>&lt;{{ k }}</q> marks cells withheld because fewer than
{{ k }} records or people are behind them.</p>
<div class="legend" aria-hidden="true"><span>smaller share</span><span class="bar"></span>
  <span>larger share</span><span class="sw"></span><span>withheld (&lt;{{ k }})</span>
  <span class="sp"></span><span>spike</span></div>
<div class="heat-wrap">
<table class="heat">
<caption>Share of each neighborhood's records raising each concern, {{ period_label }}</caption>
<thead><tr><th scope="col" class="rowh">Concern</th>
  {%- for c in heat.columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for r in heat.rows %}<tr><th scope="row" class="rowh">{{ r.label }}</th>
  {%- for c in r.cells %}<td class="{{ c.kind }}{% if loop.first %} city{% endif %}"
    style="background-color:{{ c.bg }};color:{{ c.fg }}" title="{{ c.title }}">{{ c.text }}
    {%- if c.kind == "spike" %}<span class="sr-only"> (spike)</span>{% endif %}</td>
  {%- endfor %}</tr>
{% endfor %}</tbody></table>
</div>
{% else %}<p class="empty">No concerns were counted this month, so there is nothing to map.</p>
{% endif %}
</section>

<section id="trends" aria-labelledby="h-trends">
<h2 id="h-trends">Trends over the months</h2>
{% if trends_html %}
<p>City-wide records per concern and month. The {{ visible_lines }} largest concerns are drawn;
click a name in the legend to show or hide a line. Gaps are months whose count was withheld.</p>
<figure class="chart" aria-label="Line chart of city-wide records per concern and month">
{{ trends_html | safe }}</figure>
{% else %}<p class="empty">{{ trends_note }}</p>{% endif %}
</section>

<section id="spikes" aria-labelledby="h-spikes">
<h2 id="h-spikes">Spikes: what changed unusually</h2>
{% if spikes %}
<p>A spike is a count clearly above what the same place and concern had in recent months: more
than chance would explain, even allowing for the many places and concerns checked at once.</p>
<table>
<caption>Spikes in {{ period_label }}</caption>
<thead><tr><th scope="col">Where</th><th scope="col">Concern</th>
  <th scope="col" class="num">Records</th><th scope="col" class="num">Expected</th>
  <th scope="col" class="num">Ratio</th><th scope="col" class="num">Last month</th>
  <th scope="col" class="num">p-value</th><th scope="col" class="num">q-value</th></tr></thead>
<tbody>
{% for s in spikes %}<tr><td>{{ s.where }}</td><td>{{ s.concern }}</td>
  <td class="num">{{ s.n }}</td><td class="num">{{ s.expected }}</td>
  <td class="num">{{ s.ratio }}</td><td class="num">{{ s.prev }}</td>
  <td class="num">{{ s.p }}</td><td class="num">{{ s.q }}</td></tr>
{% endfor %}</tbody></table>
{% for s in spikes %}{% if s.quotes %}
<div class="spike-card"><h3>{{ s.concern }}, {{ s.where }}: what residents said</h3>
{% for q in s.quotes %}<blockquote><p>{{ q.text }}</p></blockquote>{% endfor %}</div>
{% endif %}{% endfor %}
{% else %}<p class="empty">{{ spikes_note }}</p>{% endif %}
</section>

<section id="sentiment" aria-labelledby="h-sentiment">
<h2 id="h-sentiment">How residents feel about each concern</h2>
{% if sentiment_html %}
<p>The average tone of what residents wrote about each concern, city-wide, from &minus;1
(negative) to +1 (positive). The bars are 95% intervals: a wide bar means few records or mixed
feelings.</p>
<figure class="chart" aria-label="Dot chart of mean sentiment per concern with 95% intervals">
{{ sentiment_html | safe }}</figure>
{% else %}<p class="empty">No sentiment scores can be shown this month (no scored records, or
all withheld).</p>{% endif %}
</section>

<section id="topics" aria-labelledby="h-topics">
<h2 id="h-topics">Emerging topics for review</h2>
{% if topics %}
<p>Themes found in feedback that the concern list does not cover well. An analyst decides
whether each becomes a new concern, joins an existing one, or is ignored.</p>
<table>
<caption>Topics found this month, new ones first</caption>
<thead><tr><th scope="col">Topic</th><th scope="col">Key words</th>
  <th scope="col" class="num">Records</th></tr></thead>
<tbody>
{% for t in topics %}<tr>
  <td>{{ t.label }}{% if t.new %}<span class="tag new">new</span>{% endif %}</td>
  <td>{{ t.keywords }}</td><td class="num">{{ t.size }}</td></tr>
{% endfor %}</tbody></table>
{% if n_small_topics %}<p class="note">{{ n_small_topics }} smaller topic(s) with fewer than
{{ k }} records are not listed.</p>{% endif %}
{% else %}<p class="empty">{{ topics_note }}</p>{% endif %}
</section>

<section id="quotes" class="quotes" aria-labelledby="h-quotes">
<h2 id="h-quotes">In residents' words</h2>
{% if quotes %}
<p>Up to three representative comments for each top concern, with names, addresses and other
identifying details removed. Comments that could point to a person are never quoted.</p>
{% for c in quotes %}<h3>{{ c.label }} <span class="count">({{ c.n_text }} records)</span></h3>
{% for q in c.quotes %}<blockquote><p>{{ q.text }}</p></blockquote>
{% else %}<p class="note">No comment could be quoted safely.</p>{% endfor %}
{% endfor %}
{% else %}<p class="empty">No comments can be quoted this month.</p>{% endif %}
</section>

<section id="followup" aria-labelledby="h-followup">
<h2 id="h-followup">Items routed for follow-up</h2>
<p>Some feedback needs a person, not a chart: a crime tip, a threat, a complaint about a named
officer, or a concern for someone's welfare. These items are kept out of every count above and
sent to the follow-up list. Only their numbers appear here.</p>
{% if triage.empty %}<p class="empty">No items were routed for follow-up this month.</p>
{% else %}
<table class="narrow"><caption>Follow-up items by kind</caption>
<thead><tr><th scope="col">Kind</th><th scope="col" class="num">Items</th></tr></thead><tbody>
{% for flag, n in triage.by_flag %}<tr><td>{{ flag_label(flag) }}</td>
  <td class="num">{{ small(n) }}</td></tr>
{% endfor %}</tbody></table>
<table class="narrow"><caption>Follow-up items by neighborhood</caption>
<thead><tr><th scope="col">Neighborhood</th><th scope="col" class="num">Items</th></tr></thead>
<tbody>
{% for nb, n in triage.by_neighborhood %}<tr><td>{{ nb_label(nb) }}</td>
  <td class="num">{{ small(n) }}</td></tr>
{% endfor %}</tbody></table>
<p class="note">Small numbers (fewer than {{ k }}) are withheld, as elsewhere in this report;
an item of two kinds counts under both.</p>
{% endif %}
</section>

<section id="about" aria-labelledby="h-about">
<h2 id="h-about">About this report</h2>
<dl class="facts">
{% for key, value in about.facts %}<dt>{{ key }}</dt><dd>{{ value }}</dd>{% endfor %}
</dl>
<h3>How to read it</h3>
<ul>
<li><strong>Records</strong> are single pieces of feedback: a survey answer, a statement at a
meeting, a comment or post, a service report. Copies of the same text count once; statements by
officials are left out.</li>
<li><strong>Voices</strong> are distinct people; a coordinated copy-paste campaign is one
voice.</li>
<li><strong>Concerns</strong> come from a fixed, versioned list ({{ about.taxonomy }}); a record
can raise several.</li>
<li><strong>Withheld numbers.</strong> Any count from fewer than {{ k }} records or fewer than
{{ k }} people is withheld, with its quotes, and a few more are withheld so that the hidden ones
cannot be worked out from totals.</li>
<li><strong>Spikes.</strong> Each count is compared with the same neighborhood and concern over
up to {{ about.max_history }} earlier months. The <em>expected</em> count is their average; the
<em>p-value</em> is the chance of a count at least this high if nothing had changed (a
negative-binomial test that allows for normal month-to-month swings); the <em>q-value</em>
corrects for the many cells tested at once (Benjamini-Hochberg). A spike has q below
{{ about.alpha }} and at least {{ k }} records.</li>
<li><strong>Sentiment</strong> is scored per record and concern by a model; it is a rough
measure of tone, not of how serious a problem is.</li>
</ul>
{% if about.sources %}
<table><caption>Data sources this run</caption>
<thead><tr><th scope="col">Source</th><th scope="col" class="num">Rows read</th>
  <th scope="col" class="num">Records kept</th><th scope="col" class="num">Rejected</th>
  <th scope="col" class="num">Dropped</th></tr></thead><tbody>
{% for s in about.sources %}<tr><td>{{ s.name }}</td><td class="num">{{ s.rows_read }}</td>
  <td class="num">{{ s.records }}</td><td class="num">{{ s.rejected }}</td>
  <td class="num">{{ s.dropped }}</td></tr>
{% endfor %}</tbody></table>
<p class="note">Rejected rows could not be used (for example, empty text); dropped items are the
agency's own posts and reactions without text.</p>
{% endif %}
{% if about.stages %}
<table><caption>Counts by stage</caption>
<thead><tr><th scope="col">Stage</th><th scope="col">Counts</th></tr></thead><tbody>
{% for name, counts in about.stages %}<tr><td>{{ name }}</td><td>{{ counts }}</td></tr>
{% endfor %}</tbody></table>
{% endif %}
</section>
</main>
<footer><p>Made by voiceline on this computer; this file loads nothing from the internet.
Resident texts were redacted before analysis.</p></footer>
</div>
</body>
</html>
"""
