"""Shared look of the report's figures: colours, fonts, titles and labels.

Colours are the same everywhere: blue for gains, red for losses, grey for "before".
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from worldorder.reports.run import RunData

__all__ = ["BEFORE", "FONT", "GAIN", "LOSS", "MAP_COLORS", "NEUTRAL", "date_label", "label",
           "layout"]

GAIN = "#2166ac"
LOSS = "#b2182b"
BEFORE = "#b8b8b8"
NEUTRAL = "#e9e9e9"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
MAP_COLORS = [[0.0, "#67001f"], [0.2, "#d6604d"], [0.4, "#fddbc7"], [0.5, "#f7f7f7"],
              [0.6, "#d1e5f0"], [0.8, "#4393c3"], [1.0, "#053061"]]


def layout(fig: go.Figure, title: str, height: int, **extra: object) -> go.Figure:
    """Title, height, margins and fonts of a report figure."""
    fig.update_layout(title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 17},
                             "pad": {"l": 8}},
                      height=height, margin={"l": 10, "r": 20, "t": 70, "b": 40},
                      font={"family": FONT, "size": 13, "color": "#222"},
                      paper_bgcolor="white", plot_bgcolor="white", **extra)
    return fig


def label(run: RunData, code: str, width: int = 26) -> str:
    """``Name (CODE)``, the name shortened to ``width`` characters."""
    return name_label(run.names, code, width)


def name_label(names: Mapping[str, str], code: str, width: int = 26) -> str:
    """``Name (CODE)`` from a code-to-name mapping, the name shortened to ``width``."""
    name = names.get(code, code)
    if name == code:
        return code
    if len(name) > width:
        name = name[:width - 1].rstrip() + "…"
    return f"{name} ({code})"


def date_label(date: str) -> str:
    """`` on DATE``, or nothing for an undated run."""
    return "" if date == "undated" else f" on {date}"
