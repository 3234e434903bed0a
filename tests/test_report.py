"""The report and the workbook: self-contained, complete, escaped, never showing what findings
withhold; and a headless-Chromium check that the page really renders its charts offline."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import time
import zipfile
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from voiceline import findings as F
from voiceline import schemas as S
from voiceline.errors import InputError
from voiceline.findings import build_findings
from voiceline.ingest.triage import triage_table
from voiceline.io import write_json, write_table
from voiceline.report import render_report, workbook_tables, write_report, write_workbook
from voiceline.report.workbook import sheet_name

REPO = Path(__file__).resolve().parents[1]
MONTHS = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
HOODS = ["harbor-point", "old-mill", "west-end"]
CONCERNS = ["infrastructure", "noise", "traffic_safety"]
TAXONOMY = "community-safety-v1"
INJECTION = (
    '<script>alert("x")</script> Loud music from the parking lot every night keeps the whole '
    "street awake."
)
SECRET = "SECRET small cell: music from the corner lot goes on every single night this month."
TRIAGE_TEXT = "TRIAGE-SECRET they are breaking into a car right now behind the laundromat."
SECTIONS = ("summary", "where", "trends", "spikes", "sentiment", "topics", "quotes",
            "followup", "about")


# --- a small city over six months -----------------------------------------------------------


def _city() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    recs, cons = [], []

    def add(period, hood, concern, text, *, score=0.8, flags=()):
        rid = f"r{len(recs):04d}"
        recs.append({S.RECORD_ID: rid, S.PERIOD: period, S.NEIGHBORHOOD_ID: hood,
                     S.SOURCE_TYPE: ("survey", "social", "meeting")[len(recs) % 3],
                     S.TEXT: text, S.AUTHOR_HASH: f"a{rid}", S.FLAGS: list(flags)})
        cons.append({S.RECORD_ID: rid, S.CONCERN_ID: concern, S.SCORE: score,
                     S.TAXONOMY_VERSION: TAXONOMY})

    for m, period in enumerate(MONTHS):
        for h, hood in enumerate(HOODS):
            for c, concern in enumerate(CONCERNS):
                n = 6 + (h + c + m) % 3
                if period == MONTHS[-1] and (hood, concern) == ("harbor-point", "infrastructure"):
                    n = 30  # the spike
                for i in range(n):
                    add(period, hood, concern,
                        f"Residents keep raising {concern.replace('_', ' ')} issues near the "
                        f"park in {hood}, note {i} from {period}.")
    last = MONTHS[-1]
    add(last, "old-mill", "noise", INJECTION, score=0.99)
    for _ in range(2):  # a cell below k: suppressed, with its text
        add(last, "tiny-cove", "noise", SECRET, score=0.99)
    add(last, "west-end", "noise", TRIAGE_TEXT, flags=["crime_tip"])
    records = pd.DataFrame(recs)
    concerns = pd.DataFrame(cons)
    sentiment = pd.DataFrame({S.RECORD_ID: concerns[S.RECORD_ID],
                              S.CONCERN_ID: concerns[S.CONCERN_ID],
                              S.SCORE: rng.uniform(-0.9, 0.5, len(concerns))})
    return records, concerns, sentiment


@pytest.fixture(scope="module")
def city():
    records, concerns, sentiment = _city()
    findings = build_findings(records, concerns, sentiment, run_id="run-test",
                              config_hash="cfg123", k=5)
    return {"records": records, "concerns": concerns, "sentiment": sentiment,
            "findings": findings, "triage": triage_table(records)}


@pytest.fixture
def topics() -> pd.DataFrame:
    return pd.DataFrame({
        "topic_id": [0, 1, 2, -1],
        "topic_label": ["car fires", "fireworks", "tiny topic", "(no topic)"],
        "keywords": [["car", "fire", "night"], ["fireworks", "loud"], ["x"], []],
        "size": [12, 9, 2, 30],
        "representative_ids": [["r1"], ["r2"], ["r3"], []],
        "is_new": [False, True, True, False],
    })


MANIFEST = {
    "run_id": "run-test",
    "config_hash": "cfg123",
    "finished_at": "2026-11-01T06:00:00+00:00",
    "stages": {
        "ingest": {"records_out": 520, "rejected": 4,
                   "by_source": {"survey-csv": {"rows_read": 300, "records": 296,
                                                "rejected": 4, "dropped": 0}}},
        "findings": {"k": 5},
    },
}


@pytest.fixture(scope="module")
def report(city) -> str:
    return _render(city)


def _render(city, **kw) -> str:
    topics = pd.DataFrame({"topic_id": [1], "topic_label": ["fireworks"], "keywords": ["a;b"],
                           "size": [9], "is_new": [True]})
    return render_report(city["findings"], triage=city["triage"], topics=topics,
                         manifest=MANIFEST, **kw)


# --- what loads from where -------------------------------------------------------------------


class _ExternalLoads(HTMLParser):
    """Every attribute or stylesheet rule that would fetch something from another host.
    Script and style bodies are not parsed as tags (plotly.js mentions URLs in its code)."""

    URL_ATTRS = {"src", "href", "data", "poster", "srcset", "action", "formaction",
                 "background", "xlink:href", "manifest"}
    REMOTE = re.compile(r"^\s*(https?:|ftp:|//)", re.IGNORECASE)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        if tag == "link":  # stylesheets, fonts, icons, preloads: none belong in this page
            self.found.append(f"<link {dict(attrs)}>")
            return
        for name, value in attrs:
            if name in self.URL_ATTRS and value and self.REMOTE.match(value):
                self.found.append(f"<{tag} {name}={value}>")
            if name == "style" and value and re.search(r"url\(\s*['\"]?\s*(https?:|//)", value):
                self.found.append(f"<{tag} style={value}>")

    def handle_data(self, data):
        if self._tag == "style" and (
            "@import" in data or re.search(r"url\(\s*['\"]?\s*(https?:|//)", data)
        ):
            self.found.append("remote resource in a <style> block")


def prose(html: str) -> str:
    """The page with runs of white space as one space, to match sentences across line breaks."""
    return re.sub(r"\s+", " ", html)


def external_loads(html: str) -> list[str]:
    parser = _ExternalLoads()
    parser.feed(html)
    return parser.found


def test_report_is_self_contained_with_plotly_inlined_once(report):
    assert external_loads(report) == []
    assert report.count("* plotly.js v") == 1
    assert "cdn.plot.ly" not in re.sub(r"<script>.*?</script>", "", report, flags=re.S)
    assert 'id="chart-trends"' in report and 'id="chart-sentiment"' in report


def test_the_checker_catches_remote_resources():
    bad = ('<link rel="stylesheet" href="https://fonts.example/x.css">'
           '<script src="https://cdn.plot.ly/plotly.min.js"></script><img src="//x/y.png">'
           "<style>@import url(https://x/y.css);</style>")
    assert len(external_loads(bad)) == 4
    assert external_loads('<p><a href="#about">about</a></p><script>"https://x"</script>') == []


# --- content ---------------------------------------------------------------------------------


def test_report_has_every_section_and_the_key_facts(report):
    for section in SECTIONS:
        assert f'<section id="{section}"' in report, section
    for text in ("October 2026", "compared with September 2026", "run-test", "cfg123", TAXONOMY,
                 "k = 5", "Benjamini-Hochberg", "survey-csv", "Streets and infrastructure",
                 "Harbor Point"):
        assert text in report, text
    assert "<caption>" in report and 'lang="en"' in report


def test_spike_is_listed_with_count_expected_and_its_quotes(city, report):
    f = city["findings"]
    spike = f[(f.period == MONTHS[-1]) & (f.neighborhood_id == "harbor-point")
              & (f.concern_id == "infrastructure")].iloc[0]
    assert spike[F.SPIKE]
    spikes = report.split('id="h-spikes"')[1].split('id="h-sentiment"')[0]
    assert "Harbor Point" in spikes and ">30<" in spikes
    assert f"{spike[F.EXPECTED]:.1f}" in spikes
    assert "What residents said" in spikes or "what residents said" in spikes
    assert "issues near the park in harbor-point" in spikes


def test_quotes_are_escaped(report):
    assert "<script>alert" not in report
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in report or (
        "&lt;script&gt;alert" in report
    )


def test_withheld_cells_and_triage_texts_never_appear(city, report):
    f = city["findings"]
    tiny = f[(f.period == MONTHS[-1]) & (f.neighborhood_id == "tiny-cove")
             & (f.concern_id == "noise")].iloc[0]
    assert tiny[F.SUPPRESSED]
    assert "SECRET small cell" not in report
    assert "TRIAGE-SECRET" not in report
    assert "Tiny Cove, Noise: fewer than 5 records or voices; withheld" in report
    followup = report.split('id="h-followup"')[1].split('id="h-about"')[0]
    assert "Crime tip or crime in progress" in followup and "&lt;5" in followup


def test_topics_new_first_small_ones_left_out(city, topics):
    html = render_report(city["findings"], topics=topics)
    section = html.split('id="h-topics"')[1].split('id="h-quotes"')[0]
    assert section.index("fireworks") < section.index("car fires")
    assert "tiny topic" not in section and "(no topic)" not in section
    assert "1 smaller topic(s)" in section


def test_history_argument_gives_the_same_trends(city):
    f = city["findings"]
    last, earlier = f[f.period == MONTHS[-1]], f[f.period != MONTHS[-1]]
    html = render_report(last, history=earlier)
    assert all(m in html.split('id="chart-trends"')[1] for m in MONTHS)
    assert html == render_report(last, history=earlier)  # deterministic


def test_labels_argument_and_title(city):
    html = render_report(city["findings"], labels={"noise": "Noise & nuisance"},
                         title="Port <Alder>")
    assert "Noise &amp; nuisance" in html and "<title>Port &lt;Alder&gt;</title>" in html


# --- edge cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("findings", [None, pd.DataFrame()])
def test_empty_findings_still_render(findings):
    html = render_report(findings, period="2026-10")
    assert "No findings this month" in html and "October 2026" in html
    for section in SECTIONS:
        assert f'<section id="{section}"' in html
    assert "plotly.js v" not in html and external_loads(html) == []


def test_no_concerns_at_all(city):
    records = city["records"]
    f = build_findings(records, city["concerns"].iloc[0:0])
    assert f.empty
    html = render_report(f, manifest={"stages": {"ingest": {"records_out": 0}}},
                         period="2026-10")
    assert "There were no records this month" in html


def test_first_month_has_no_trends_or_spikes_yet(city):
    r, c, s = city["records"], city["concerns"], city["sentiment"]
    first = r[r.period == MONTHS[0]]
    html = render_report(build_findings(first, c, s, k=5))
    assert "first month with findings" in html and "none can be called yet" in html
    assert 'id="chart-trends"' not in html and 'id="chart-sentiment"' in html
    assert "did not run" in html  # no topics


def test_everything_suppressed(city):
    r, c, s = city["records"], city["concerns"], city["sentiment"]
    f = build_findings(r[r.period == MONTHS[-1]], c, s, k=100)
    assert (f[F.SUPPRESSED] | (f[F.N_RECORDS] == 0)).all()  # zeros are shown
    html = prose(render_report(f, manifest={"k": 100}))
    assert "below the disclosure threshold" in html and "&lt;100" in html
    assert "issues near the park" not in html and "SECRET" not in html
    assert 'id="chart-sentiment"' not in html


def test_empty_topics_table_says_so(city):
    html = render_report(city["findings"], topics=pd.DataFrame(columns=["topic_label"]))
    assert "No emerging topics this month" in html


def test_renders_a_large_city_quickly():
    rng = np.random.default_rng(0)
    months = [f"2026-{m:02d}" for m in range(5, 11)]
    hoods = [F.ALL] + [f"hood-{i}" for i in range(10)]
    concerns = [f"concern_{i:02d}" for i in range(16)]
    key = pd.MultiIndex.from_product([months, hoods, concerns],
                                     names=list(F.FINDINGS_KEY)).to_frame(index=False)
    n = rng.integers(0, 40, len(key))
    f = key.assign(**{c: None for c in F.FINDINGS_COLUMNS if c not in key.columns})
    sup = (n > 0) & (n < 5)
    for col in F.COUNT_COLUMNS:
        f[col] = pd.array(np.where(sup, np.nan, n), dtype="Int64")
    f[F.SHARE] = np.where(sup, np.nan, n / 400)
    f[F.SENTIMENT_MEAN] = np.where(sup, np.nan, rng.uniform(-0.6, 0.3, len(f)))
    f[F.SENTIMENT_CI_LOW] = f[F.SENTIMENT_MEAN] - 0.1
    f[F.SENTIMENT_CI_HIGH] = f[F.SENTIMENT_MEAN] + 0.1
    for col in (F.EXPECTED, F.P_VALUE, F.Q_VALUE, F.CHANGE_REL):
        f[col] = rng.random(len(f))
    f[F.SPIKE] = rng.random(len(f)) < 0.02
    f[F.SUPPRESSED] = sup
    f[F.QUOTES] = np.where(sup, None, json.dumps([{"record_id": "r1", "text": "A quote."}]))
    started = time.perf_counter()
    html = render_report(f[list(F.FINDINGS_COLUMNS)])
    assert time.perf_counter() - started < 3.0
    assert html.count("<tr>") > 16


# --- the run folder --------------------------------------------------------------------------


def _run_folders(root: Path, city, topics) -> Path:
    f = city["findings"]
    for period in MONTHS:
        write_table(f[f.period == period], root / period / "findings.parquet")
    last = root / MONTHS[-1]
    write_table(city["triage"], last / "triage.csv")
    write_table(topics, last / "topic_info.parquet")
    write_json(MANIFEST, last / "manifest.json")
    return last


def test_write_report_reads_the_run_folder_and_its_history(tmp_path, city, topics):
    last = _run_folders(tmp_path / "out", city, topics)
    path = write_report(last)
    assert path == last / "report.html"
    html = path.read_text(encoding="utf-8")
    assert all(m in html.split('id="chart-trends"')[1] for m in MONTHS)
    assert "fireworks" in html and "run-test" in html and "TRIAGE-SECRET" not in html
    assert sorted(p.name for p in last.iterdir() if p.name.startswith(".")) == []  # no temp
    other = write_report(last, tmp_path / "elsewhere" / "r.html")
    assert other.read_text(encoding="utf-8") == html


def test_write_report_explains_a_missing_findings_table(tmp_path):
    (tmp_path / "2026-10").mkdir()
    with pytest.raises(InputError, match="findings table"):
        write_report(tmp_path / "2026-10")
    with pytest.raises(InputError, match="does not exist"):
        write_report(tmp_path / "nope")


# --- the workbook ----------------------------------------------------------------------------

SHEETS = ["Findings", "City-wide", "Spikes", "Follow-up", "Topics", "About"]


def test_workbook_tables_are_readable(city, topics):
    tables = workbook_tables(city["findings"], city["triage"], topics, MANIFEST)
    assert list(tables) == SHEETS
    findings = tables["Findings"]
    assert {"Neighborhood", "Concern", "Records", "Share", "p-value", "Quotes"} <= set(findings)
    tiny = findings[(findings["Neighborhood"] == "Tiny Cove") & (findings["Concern"] == "Noise")
                    & (findings["Period"] == MONTHS[-1])].iloc[0]
    assert pd.isna(tiny["Records"]) and tiny["Withheld"] == "yes" and "withheld" in tiny["Note"]
    quotes = tables["City-wide"]["Quotes"]
    assert quotes.str.startswith("\u201c").any() and not quotes.str.startswith("[").any()
    assert (tables["Spikes"]["Neighborhood"] == "Harbor Point").any()
    assert tables["Follow-up"]["Group"].tolist()[0] == "Crime tip or crime in progress"
    assert "tiny topic" not in tables["Topics"]["Topic"].tolist()


def test_workbook_opens_with_frozen_bold_filtered_headers(tmp_path, city, topics):
    from openpyxl import load_workbook

    path = write_workbook(workbook_tables(city["findings"], city["triage"], topics, MANIFEST),
                          tmp_path / "findings.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws["A1"].font.b, ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
    ws = wb["City-wide"]
    header = {c.value: c.column_letter for c in ws[1]}
    assert ws[f"{header['Share']}2"].number_format == "0.0%"
    assert ws[f"{header['p-value']}2"].number_format == "0.000"
    assert ws.column_dimensions[header["Quotes"]].width >= 40
    assert ws[f"{header['Quotes']}2"].alignment.wrap_text
    texts = " ".join(str(c.value) for sheet in wb.worksheets for row in sheet.iter_rows()
                     for c in row if c.value is not None)
    assert "SECRET small cell" not in texts and "TRIAGE-SECRET" not in texts


def test_workbook_of_an_empty_period_says_why_each_sheet_is_empty(tmp_path):
    from openpyxl import load_workbook

    tables = workbook_tables(None)
    assert list(tables) == SHEETS
    assert tables["Spikes"].iloc[0, 0] == "No spikes in these findings."
    assert tables["Topics"].iloc[0, 0] == "Topic discovery did not run."
    assert tables["Follow-up"].iloc[0, 0] == "No items were routed for follow-up."
    wb = load_workbook(write_workbook(tables, tmp_path / "empty.xlsx"))
    assert wb.sheetnames == SHEETS and wb["Findings"].freeze_panes == "A2"


def test_triage_as_records_with_flag_lists_counts_only_triage_flags(city):
    records = city["records"]
    flagged = records[records[S.FLAGS].map(len) > 0].copy()
    extra = flagged.assign(**{S.RECORD_ID: [f"x{i}" for i in range(len(flagged))],
                              S.FLAGS: [["welfare", "campaign"]] * len(flagged)})
    html = render_report(city["findings"], triage=pd.concat([flagged, extra]))
    followup = html.split('id="h-followup"')[1].split('id="h-about"')[0]
    assert "Welfare concern" in followup and "Campaign" not in followup
    assert "TRIAGE-SECRET" not in html


def test_workbook_never_writes_formulas_and_fixes_sheet_names(tmp_path):
    tables = {
        "A sheet name that is far longer than thirty-one characters": pd.DataFrame(
            {"Text": ['=HYPERLINK("http://example.invalid","click")', "plain"]}),
        "Bad/Name?[1]": pd.DataFrame(),
    }
    path = write_workbook(tables, tmp_path / "x.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert all("<f>" not in z.read(n).decode() for n in sheets)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in wb.sheetnames)
    assert wb.worksheets[0]["A2"].value.startswith("=HYPERLINK")
    assert sheet_name("Findings", {"findings"}) == "Findings (2)"


# --- a real browser --------------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required in CI (apt-get install chromium) for the report test")
    pytest.skip("chromium is not installed; the headless rendering check needs it")


def _browse(exe: str, page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--disable-extensions", "--mute-audio",
           f"--user-data-dir={profile}",
           "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing can load from the network
           "--virtual-time-budget=5000", *args, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


def _png_pixels(path: Path, max_rows: int) -> np.ndarray:
    """The first ``max_rows`` rows of an 8-bit RGB(A) PNG as an (rows, width, channels) array."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + size
    assert depth == 8 and ctype in (2, 6), (depth, ctype)
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    prev = np.zeros(stride, dtype=np.int64)
    rows = []
    for y in range(min(height, max_rows)):
        start = y * (stride + 1)
        kind = raw[start]
        line = np.frombuffer(raw, np.uint8, stride, start + 1).astype(np.int64)
        if kind == 0:
            cur = line
        elif kind == 1:
            cur = np.cumsum(line.reshape(width, bpp), axis=0).reshape(-1) % 256
        elif kind == 2:
            cur = (line + prev) % 256
        else:  # average and Paeth depend on the pixel to the left: byte by byte
            out, up = line.tolist(), prev.tolist()
            for i in range(stride):
                a = out[i - bpp] if i >= bpp else 0
                if kind == 3:
                    out[i] = (out[i] + (a + up[i]) // 2) % 256
                else:
                    c = up[i - bpp] if i >= bpp else 0
                    p = a + up[i] - c
                    pa, pb, pc = abs(p - a), abs(p - up[i]), abs(p - c)
                    out[i] = (out[i] + (a if pa <= pb and pa <= pc else
                                        up[i] if pb <= pc else c)) % 256
            cur = np.array(out, dtype=np.int64)
        rows.append(cur)
        prev = cur
    return np.stack(rows).reshape(len(rows), width, bpp).astype(np.uint8)


def test_report_renders_in_headless_chromium(tmp_path, city, topics):
    exe = _chromium()
    last = _run_folders(tmp_path / "out", city, topics)
    page = write_report(last)
    png = tmp_path / "report.png"

    shot = _browse(exe, page, tmp_path / "profile", f"--screenshot={png}",
                   "--window-size=1280,2400")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.exists() and png.stat().st_size > 20_000
    pixels = _png_pixels(png, max_rows=700)[..., :3].reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    assert len(colours) > 50 and counts.max() / counts.sum() < 0.95

    dom = _browse(exe, page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('class="plot-container') >= 2  # both charts drawn
    assert "main-svg" in dom.stdout
    assert external_loads(dom.stdout) == []  # nothing added at run time either

    artifacts = REPO / "out" / "test-artifacts"
    try:
        artifacts.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, artifacts / "report.png")
        shutil.copyfile(page, artifacts / "report.html")
    except OSError:
        pass  # a read-only checkout: the screenshot stays in tmp_path
