"""Helpers of the ``run`` printout (``worldorder.cli.run_output``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from worldorder.cli.run_output import shorten

WORDS = st.lists(st.text(alphabet="abc-", min_size=1, max_size=9), min_size=1, max_size=20)


def test_a_hyphenated_word_is_never_cut_after_its_hyphen() -> None:
    text = "ceasefire and declaration signed at Sharm el-Sheikh by the mediators"
    assert shorten(text, 44) == "ceasefire and declaration signed at Sharm …"
    assert shorten(text, 200) == text


@given(WORDS, st.integers(min_value=8, max_value=60))
def test_shortened_text_is_a_prefix_of_whole_words(words: list[str], width: int) -> None:
    text = " ".join(words)
    out = shorten(text, width)
    assert len(out) <= width
    kept = out.removesuffix(" …").removesuffix("…").split()
    assert kept == words[:len(kept)]
