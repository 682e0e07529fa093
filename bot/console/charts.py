"""Charts drawn on our server as SVG (no chart library, nothing fetched by the browser).

Each chart has a title and a text description for screen readers, and its values are also
written on it, so nobody needs to hover to read them.
"""
from __future__ import annotations

from html import escape

COLORS = ("#1f5fa8", "#c2571a", "#5b7f2a", "#7a4b9c")  # AA contrast against white


def _frame(title: str, desc: str, width: int, height: int, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="t d" width="100%" style="max-width:{width}px" font-family="sans-serif" font-size="12">'
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>{body}</svg>'
    )


def stacked_bars(title: str, labels: list[str], series: dict[str, list[int]]) -> str:
    """Vertical bars per label (e.g. day), one stacked part per series (e.g. language)."""
    width, height, left, bottom = 640, 240, 36, 40
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    slot = (width - left - 10) / max(1, len(labels))
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#444"/>']
    for i, label in enumerate(labels):
        y = height - bottom
        x = left + i * slot + slot * 0.15
        for k, (name, values) in enumerate(series.items()):
            h = (height - bottom - 20) * values[i] / top
            y -= h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                        f'fill="{COLORS[k % len(COLORS)]}"><title>{escape(label)} {escape(name)}: {values[i]}</title></rect>')
        if totals[i]:
            body.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle">{totals[i]}</text>')
        if len(labels) <= 14 or i % max(1, len(labels) // 10) == 0:
            body.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 14}" text-anchor="middle">{escape(label[5:])}</text>')
    for k, name in enumerate(series):
        body.append(f'<rect x="{left + k * 110}" y="{height - 16}" width="12" height="12" fill="{COLORS[k % len(COLORS)]}"/>'
                    f'<text x="{left + k * 110 + 16}" y="{height - 6}">{escape(name)}</text>')
    desc = "; ".join(f"{label}: " + ", ".join(f"{n} {v[i]}" for n, v in series.items()) for i, label in enumerate(labels))
    return _frame(title, desc or "no data", width, height, "".join(body))


def horizontal_bars(title: str, rows: list[tuple[str, float]], percent: bool = False) -> str:
    """One bar per row (label, value); values shown at the end of each bar."""
    width, row_h, left = 640, 26, 230
    height = max(1, len(rows)) * row_h + 10
    top = 100.0 if percent else (max((v for _, v in rows), default=0) or 1)
    body = []
    for i, (label, value) in enumerate(rows):
        y = 5 + i * row_h
        w = (width - left - 60) * value / top
        shown = f"{value:.0f} %" if percent else f"{value:g}"
        body.append(f'<text x="{left - 6}" y="{y + 16}" text-anchor="end">{escape(label[:34])}</text>'
                    f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{COLORS[0]}"/>'
                    f'<text x="{left + w + 5:.1f}" y="{y + 16}">{shown}</text>')
    if not rows:
        body.append('<text x="10" y="20">No data yet.</text>')
    desc = "; ".join(f"{label}: {value:g}{' %' if percent else ''}" for label, value in rows)
    return _frame(title, desc or "no data", width, height, "".join(body))
