"""Text repair helpers: examples and properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from voiceline.ingest.text import is_mostly_upper, readable_case, repair_text


def test_repair_mojibake_and_whitespace() -> None:
    assert repair_text("caf\u00c3\u00a9   is\topen") == "caf\u00e9 is open"
    assert repair_text("one\r\n\r\n\r\ntwo\n \n three") == "one\ntwo\nthree"
    assert repair_text("bell\x07 and\x00 null") == "bell and null"
    assert repair_text("emoji \U0001f600 stays") == "emoji \U0001f600 stays"
    assert repair_text(None) == ""
    assert repair_text("e\u0301") == "\u00e9"  # NFC


def test_readable_case() -> None:
    assert readable_case("THANK YOU, CHAIR. I'M HERE ABOUT THE ADA RAMP ON MONDAY.") == (
        "Thank you, chair. I'm here about the ADA ramp on Monday."
    )
    assert readable_case("Normal text with MPD stays.") == "Normal text with MPD stays."
    assert readable_case("OK.", force=True) == "OK."
    assert readable_case("THANK YOU.", force=True) == "Thank you."


def test_is_mostly_upper() -> None:
    assert is_mostly_upper("THE LIGHTS ON 4TH ARE OUT")
    assert not is_mostly_upper("MPD")
    assert not is_mostly_upper("the lights are out")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_repair_output_is_clean(s: str) -> None:
    once = repair_text(s)
    assert once == once.strip()
    assert "\n\n" not in once and "  " not in once
    assert not any(ord(c) < 32 and c != "\n" for c in once)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd", "Zs", "Po"])))
def test_readable_case_keeps_letters(s: str) -> None:
    out = readable_case(s)
    assert len(out) == len(s)
    assert out.lower() == s.lower() or out.casefold() == s.casefold()
    if not is_mostly_upper(s):
        assert out == s


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]) | st.just("\n")))
def test_repair_is_idempotent(s: str) -> None:
    # ftfy may re-read leftover C1-control garbage as mojibake, so controls are left out here.
    once = repair_text(s)
    assert repair_text(once) == once
