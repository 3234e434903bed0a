"""Outputs people read: the self-contained HTML report and the Excel workbook.

- :func:`render_report` / :func:`write_report` (``html.py``): one HTML file per run, plotly.js
  inlined, nothing loaded from the network.
- :func:`workbook_tables` / :func:`write_workbook` (``workbook.py``): ``findings.xlsx``, one
  formatted sheet per table.

Both read the run's own tables (findings, triage, topic info, manifest) and never show what the
findings withhold: suppressed counts stay blank, and triage items appear only as counts.

>>> from voiceline.report import render_report
>>> html = render_report(None)           # an empty period still renders
>>> "About this report" in html
True
"""

from __future__ import annotations

from voiceline.report.html import read_run, render_report, write_report
from voiceline.report.workbook import workbook_tables, write_workbook

__all__ = ["read_run", "render_report", "write_report", "workbook_tables", "write_workbook"]
