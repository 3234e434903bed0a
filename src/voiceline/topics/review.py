"""The review queue: new topics for an analyst to accept as concerns, merge, or ignore.

Why: topics are proposals, not counts. The queue lists each new topic with its size, the
neighborhoods it comes from, its keywords and a few (redacted) example records, plus an empty
``decision`` column. The analyst writes ``new concern``, ``merge into <concern_id>`` or
``ignore``; :func:`apply_review` turns the accepted decisions into a new taxonomy version (a new
concern with the examples, or the examples added to an existing concern), so the next run counts
them. The taxonomy is handled as the plain mapping that ``Taxonomy.from_dict`` validates.

>>> queue = review_queue(info, topics, records)          # doctest: +SKIP
>>> queue.loc[0, "decision"] = "merge into property_crime"  # doctest: +SKIP
>>> new_tax = apply_review(queue, taxonomy_dict)        # doctest: +SKIP
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pandas as pd

from voiceline.errors import ConfigError
from voiceline.schemas import NEIGHBORHOOD_ID, RECORD_ID, TEXT, require_columns
from voiceline.topics.columns import IS_NEW, KEYWORDS, SIZE, TOPIC_ID, TOPIC_LABEL

DECISIONS = ("new concern", "merge into <concern_id>", "ignore")
REVIEW_COLUMNS: tuple[str, ...] = (
    TOPIC_ID,
    TOPIC_LABEL,
    SIZE,
    "neighborhoods",
    KEYWORDS,
    "example_ids",
    "examples",
    "decision",
    "new_concern_id",
    "note",
)
_MERGE = re.compile(r"^merge into\s+([a-z][a-z0-9_]{1,48})$")


def review_queue(
    info: pd.DataFrame,
    topics: pd.DataFrame,
    records: pd.DataFrame,
    *,
    n_examples: int = 3,
    only_new: bool = True,
) -> pd.DataFrame:
    """One row per (new) topic, largest first, with an empty ``decision`` to fill in.

    ``neighborhoods`` reads "Fair Haven: 12; Downtown: 5" (top 5); ``examples`` are the texts of
    the topic's most central records (already redacted at ingest), joined by `` | ``.
    """
    require_columns(info, (TOPIC_ID, TOPIC_LABEL, KEYWORDS, SIZE, IS_NEW), table="topic info")
    require_columns(topics, (RECORD_ID, TOPIC_ID, "probability"), table="topics")
    require_columns(records, (RECORD_ID, TEXT), table="records")
    chosen = info[info[IS_NEW]] if only_new else info
    joined = topics.merge(
        records[[c for c in (RECORD_ID, TEXT, NEIGHBORHOOD_ID) if c in records.columns]],
        on=RECORD_ID,
        how="left",
    )
    rows = []
    for _, t in chosen.sort_values([SIZE, TOPIC_ID], ascending=[False, True]).iterrows():
        members = joined[joined[TOPIC_ID] == t[TOPIC_ID]]
        members = members.sort_values(["probability", RECORD_ID], ascending=[False, True])
        hoods = ""
        if NEIGHBORHOOD_ID in members.columns:
            counts = members[NEIGHBORHOOD_ID].fillna("unknown").value_counts()
            counts = counts.sort_index().sort_values(ascending=False, kind="stable").head(5)
            hoods = "; ".join(f"{k}: {v}" for k, v in counts.items())
        ex = members.head(n_examples)
        kw = t[KEYWORDS]
        rows.append(
            {
                TOPIC_ID: int(t[TOPIC_ID]),
                TOPIC_LABEL: t[TOPIC_LABEL],
                SIZE: int(t[SIZE]),
                "neighborhoods": hoods,
                KEYWORDS: ";".join(kw) if isinstance(kw, (list, tuple)) else str(kw),
                "example_ids": ";".join(ex[RECORD_ID].astype(str)),
                "examples": " | ".join(ex[TEXT].fillna("").astype(str)),
                "decision": "",
                "new_concern_id": "",
                "note": "",
            }
        )
    return pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))


def _slug(label: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", str(label).lower()).strip("_")
    s = s if s and s[0].isalpha() else f"topic_{s}"
    return s[:48]


def next_version(version: str) -> str:
    """``community-safety-v1`` -> ``community-safety-v2``; no trailing number -> ``-r2``.

    >>> next_version("community-safety-v1"), next_version("custom")
    ('community-safety-v2', 'custom-r2')
    """
    m = re.search(r"(\d+)$", version)
    if m:
        return version[: m.start()] + str(int(m.group(1)) + 1)
    return f"{version}-r2"


def apply_review(
    queue: pd.DataFrame, taxonomy: dict[str, Any], *, version: str | None = None
) -> dict[str, Any]:
    """A new taxonomy mapping with the queue's accepted decisions applied (input unchanged).

    - ``new concern``: a concern with id ``new_concern_id`` (default: the label as a slug), the
      topic label, a definition from the keywords, and the examples;
    - ``merge into <concern_id>``: the examples are added to that concern's examples;
    - ``ignore`` or empty: nothing.

    Every bad decision is reported at once (:class:`ConfigError`). The result's ``version`` is
    ``version`` or :func:`next_version` of the old one; validate it with
    ``Taxonomy.from_dict`` and write it as YAML.

    >>> tax = {"version": "t-v1", "concerns": [{"id": "noise", "label": "Noise",
    ...        "definition": "loud things", "examples": ["loud music"]}]}
    >>> q = pd.DataFrame([{"topic_id": 3, "topic_label": "fireworks", "keywords": "fireworks;night",
    ...       "examples": "fireworks every night", "decision": "merge into noise",
    ...       "new_concern_id": ""}])
    >>> out = apply_review(q, tax)
    >>> out["version"], out["concerns"][0]["examples"]
    ('t-v2', ['loud music', 'fireworks every night'])
    """
    require_columns(
        queue, (TOPIC_ID, TOPIC_LABEL, KEYWORDS, "examples", "decision"), table="review queue"
    )
    out = copy.deepcopy(taxonomy)
    concerns = out.setdefault("concerns", [])
    by_id = {c.get("id"): c for c in concerns}
    problems: list[str] = []
    for _, row in queue.iterrows():
        decision = (
            " ".join(str(row["decision"] or "").lower().split())
            if pd.notna(row["decision"])
            else ""
        )
        examples = [e.strip() for e in str(row["examples"] or "").split(" | ") if e.strip()]
        where = f"topic {row[TOPIC_ID]} ({row[TOPIC_LABEL]})"
        if decision in ("", "ignore"):
            continue
        if decision == "new concern":
            given = row.get("new_concern_id")
            cid = (
                str(given).strip()
                if isinstance(given, str) and given.strip()
                else _slug(row[TOPIC_LABEL])
            )
            if cid in by_id:
                problems.append(f"{where}: concern id {cid!r} exists already; set new_concern_id")
                continue
            kw = str(row[KEYWORDS]).replace(";", ", ")
            concern = {
                "id": cid,
                "label": str(row[TOPIC_LABEL]).strip().capitalize(),
                "definition": f"Emerging topic accepted in review: {row[TOPIC_LABEL]} ({kw}).",
                "examples": examples or [str(row[TOPIC_LABEL])],
            }
            concerns.append(concern)
            by_id[cid] = concern
            continue
        m = _MERGE.match(decision)
        if m:
            target = by_id.get(m.group(1))
            if target is None:
                problems.append(
                    f"{where}: 'merge into {m.group(1)}' names no concern of the taxonomy"
                )
                continue
            target["examples"] = list(target.get("examples", [])) + [
                e for e in examples if e not in target.get("examples", [])
            ]
            continue
        problems.append(f"{where}: decision {row['decision']!r}; expected one of {list(DECISIONS)}")
    if problems:
        raise ConfigError("the review queue has decisions that cannot be applied:", problems)
    out["version"] = version or next_version(str(taxonomy.get("version", "taxonomy")))
    return out
