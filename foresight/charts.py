"""Server-side SVG charts: no script, no inline style (strict CSP), readable without colour (patterns and
direct value labels), each with a <title>/<desc> for screen readers. Numbers are French-formatted."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 12
# Fill patterns so that series differ by texture as well as by colour.
PATTERNS = """<defs>
<pattern id="{p}-solid" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#1d3f72"/></pattern>
<pattern id="{p}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="#c0392b"/></pattern>
<pattern id="{p}-dots" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#f5d76e"/><circle cx="3" cy="3" r="1.6" fill="#6b4f00"/></pattern>
<pattern id="{p}-grid" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#dfe9f5"/><path d="M0 0H6M0 0V6" stroke="#5f93d8" stroke-width="1.5"/></pattern>
</defs>"""
FILLS = ("solid", "hatch", "dots", "grid")


def fr_number(value: float, digits: int = 1) -> str:
    """1234.5 → "1 234,5" (narrow no-break space for thousands, comma for decimals)."""
    text = f"{value:,.{digits}f}" if digits else f"{round(value):,d}"
    return text.replace(",", "\u202f").replace(".", ",")


def _svg(pid: str, width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="{pid}-t {pid}-d" '
            f'font-family="system-ui, sans-serif" font-size="{FONT}">'
            f'<title id="{pid}-t">{escape(title)}</title><desc id="{pid}-d">{escape(desc)}</desc>'
            + PATTERNS.format(p=pid))
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text above is escaped


def _legend(pid: str, names: list[str], x: int, y: int) -> list[str]:
    out = []
    for i, name in enumerate(names):
        out.append(f'<rect x="{x}" y="{y + i * 18}" width="14" height="14" fill="url(#{pid}-{FILLS[i]})" '
                   f'stroke="#333"/><text x="{x + 20}" y="{y + i * 18 + 11}">{escape(name)}</text>')
    return out


def hbars(pid: str, title: str, rows: list[tuple[str, float]], *, digits: int = 1, unit: str = "") -> SafeString:
    """Horizontal bars, one per (label, value); negative values extend to the left of a zero line."""
    label_w, bar_w, row_h = 260, 360, 22
    height = 20 + row_h * max(len(rows), 1)
    low = min([0.0] + [v for _, v in rows])
    high = max([0.0] + [v for _, v in rows])
    span = (high - low) or 1.0
    zero = label_w + bar_w * (-low / span)
    body = [f'<line x1="{zero:.1f}" y1="4" x2="{zero:.1f}" y2="{height - 4}" stroke="#333"/>']
    for i, (label, value) in enumerate(rows):
        y = 10 + i * row_h
        length = bar_w * abs(value) / span
        x = zero if value >= 0 else zero - length
        fill = FILLS[0] if value >= 0 else FILLS[1]
        body.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(_clip(label))}</text>')
        body.append(f'<rect x="{x:.1f}" y="{y}" width="{max(length, 0.5):.1f}" height="{row_h - 6}" '
                    f'fill="url(#{pid}-{fill})" stroke="#333" stroke-width="0.5"/>')
        tx = x + length + 4 if value >= 0 else x - 4
        anchor = "start" if value >= 0 else "end"
        body.append(f'<text x="{tx:.1f}" y="{y + 13}" text-anchor="{anchor}">{fr_number(value, digits)}{unit}</text>')
    return _svg(pid, label_w + bar_w + 90, height, title, _describe(rows, digits), body)


def paired_hbars(pid: str, title: str, rows: list[tuple[str, float, float]], names: tuple[str, str]) -> SafeString:
    """Two bars per label (e.g. demand then supply), told apart by pattern and by the legend."""
    label_w, bar_w, row_h = 260, 330, 34
    top = 44
    height = top + row_h * max(len(rows), 1)
    high = max([1.0] + [max(a, b) for _, a, b in rows])
    body = _legend(pid, list(names), label_w, 4)
    for i, (label, a, b) in enumerate(rows):
        y = top + i * row_h
        body.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{escape(_clip(label))}</text>')
        for j, value in enumerate((a, b)):
            length = bar_w * value / high
            yy = y + j * 14
            body.append(f'<rect x="{label_w}" y="{yy}" width="{max(length, 0.5):.1f}" height="12" '
                        f'fill="url(#{pid}-{FILLS[j + 1 if j else 0]})" stroke="#333" stroke-width="0.5"/>')
            body.append(f'<text x="{label_w + length + 4:.1f}" y="{yy + 10}" font-size="11">'
                        f'{escape(names[j])} {fr_number(value)}</text>')
    desc = "; ".join(f"{label} : {names[0]} {fr_number(a)}, {names[1]} {fr_number(b)}" for label, a, b in rows)
    return _svg(pid, label_w + bar_w + 150, height, title, desc, body)


def stacked_columns(pid: str, title: str, years: list[int], series: list[tuple[str, list[float]]],
                    band: tuple[list[float], list[float]] | None = None) -> SafeString:
    """Columns per year stacked by series (patterns), the total above each column; optional P10–P90 of the
    departures' complement is drawn as whiskers (``band``: low, high totals per year)."""
    left, width, height, bottom = 50, 560, 260, 30
    legend_h = 18 * len(series) + 6
    top = legend_h + 10
    plot_h = height - top - bottom
    totals = [sum(s[1][k] for s in series) for k in range(len(years))]
    high = max(totals + ([max(band[1])] if band and band[1] else []) + [1.0])
    step = width / max(len(years), 1)
    body = _legend(pid, [name for name, _ in series], left, 4)
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + width}" y2="{top + plot_h}" stroke="#333"/>')
    for k, year in enumerate(years):
        x = left + k * step + step * 0.2
        w = step * 0.6
        base = top + plot_h
        for i, (_name, values) in enumerate(series):
            h = plot_h * values[k] / high
            base -= h
            body.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{w:.1f}" height="{h:.1f}" '
                        f'fill="url(#{pid}-{FILLS[i]})" stroke="#333" stroke-width="0.5"/>')
        body.append(f'<text x="{x + w / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle">{fr_number(totals[k])}</text>')
        body.append(f'<text x="{x + w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{year}</text>')
    desc = "; ".join(f"{year} : " + ", ".join(f"{name} {fr_number(values[k])}" for name, values in series)
                     for k, year in enumerate(years))
    return _svg(pid, left + width + 20, height, title, desc, body)


def line_band(pid: str, title: str, years: list[int], start: float, expected: list[float],
              band: tuple[list[float], list[float], list[float]] | None, names: tuple[str, str]) -> SafeString:
    """Expected headcount as a solid line with labelled points; the Monte Carlo P10–P90 band as a hatched
    area and the P50 as a dashed line when given."""
    left, width, height, bottom, top = 60, 540, 260, 30, 44
    plot_h = height - top - bottom
    values = [start] + expected
    extra = (band[0] + band[2]) if band else []
    high = max(values + extra + [1.0]) * 1.1
    low = 0.0
    xs = [left + width * k / max(len(years), 1) for k in range(len(years) + 1)]

    def y(v):
        return top + plot_h * (1 - (v - low) / (high - low))

    body = []
    legend = [names[0]] + ([names[1]] if band else [])
    body.append(f'<line x1="{left}" y1="10" x2="{left + 20}" y2="10" stroke="#1d3f72" stroke-width="3"/>'
                f'<text x="{left + 26}" y="14">{escape(legend[0])}</text>')
    if band:
        body.append(f'<rect x="{left}" y="22" width="20" height="12" fill="url(#{pid}-hatch)" stroke="#333"/>'
                    f'<text x="{left + 26}" y="32">{escape(legend[1])}</text>')
        upper = " ".join(f"{xs[k + 1]:.1f},{y(v):.1f}" for k, v in enumerate(band[2]))
        lower = " ".join(f"{xs[k + 1]:.1f},{y(v):.1f}" for k, v in reversed(list(enumerate(band[0]))))
        body.append(f'<polygon points="{xs[0]:.1f},{y(start):.1f} {upper} {lower}" fill="url(#{pid}-hatch)" '
                    f'fill-opacity="0.6" stroke="#c0392b" stroke-width="0.5"/>')
        median = " ".join(f"{xs[k]:.1f},{y(v):.1f}" for k, v in enumerate([start] + band[1]))
        body.append(f'<polyline points="{median}" fill="none" stroke="#6b4f00" stroke-dasharray="4 3"/>')
    points = " ".join(f"{xs[k]:.1f},{y(v):.1f}" for k, v in enumerate(values))
    body.append(f'<polyline points="{points}" fill="none" stroke="#1d3f72" stroke-width="2.5"/>')
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + width}" y2="{top + plot_h}" stroke="#333"/>')
    labels = [None] + years
    for k, v in enumerate(values):
        body.append(f'<circle cx="{xs[k]:.1f}" cy="{y(v):.1f}" r="3.5" fill="#1d3f72"/>'
                    f'<text x="{xs[k]:.1f}" y="{y(v) - 8:.1f}" text-anchor="middle">{fr_number(v)}</text>')
        tick = "d0" if labels[k] is None else str(labels[k])
        body.append(f'<text x="{xs[k]:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(tick)}</text>')
    desc = "; ".join(f"{years[k]} : {fr_number(v)}" for k, v in enumerate(expected))
    return _svg(pid, left + width + 40, height, title, desc, body)


def pyramid(pid: str, title: str, bands: list[str], women: list[int], men: list[int], other: list[int],
            names: tuple[str, str, str]) -> SafeString:
    """Age pyramid: women to the left (hatched), men to the right (solid), not stated in a third column."""
    centre_w, half, row_h, top = 70, 230, 20, 24
    height = top + row_h * len(bands) + 8
    high = max(women + men + [1])
    cx = half + centre_w / 2
    body = [f'<text x="{cx - centre_w / 2 - 4}" y="14" text-anchor="end">← {escape(names[0])}</text>',
            f'<text x="{cx + centre_w / 2 + 4}" y="14">{escape(names[1])} →</text>',
            f'<text x="{2 * half + centre_w + 70}" y="14" text-anchor="middle">{escape(names[2])}</text>']
    for i, band in enumerate(reversed(bands)):
        k = len(bands) - 1 - i
        y = top + i * row_h
        body.append(f'<text x="{cx}" y="{y + 13}" text-anchor="middle">{escape(band)}</text>')
        lw = half * women[k] / high
        rw = half * men[k] / high
        body.append(f'<rect x="{cx - centre_w / 2 - lw:.1f}" y="{y}" width="{max(lw, 0.5):.1f}" height="{row_h - 4}" '
                    f'fill="url(#{pid}-hatch)" stroke="#333" stroke-width="0.5"/>')
        body.append(f'<text x="{cx - centre_w / 2 - lw - 3:.1f}" y="{y + 13}" text-anchor="end" font-size="11">'
                    f'{women[k]}</text>')
        body.append(f'<rect x="{cx + centre_w / 2:.1f}" y="{y}" width="{max(rw, 0.5):.1f}" height="{row_h - 4}" '
                    f'fill="url(#{pid}-solid)" stroke="#333" stroke-width="0.5"/>')
        body.append(f'<text x="{cx + centre_w / 2 + rw + 3:.1f}" y="{y + 13}" font-size="11">{men[k]}</text>')
        body.append(f'<text x="{2 * half + centre_w + 70}" y="{y + 13}" text-anchor="middle">{other[k]}</text>')
    desc = "; ".join(f"{band} : {names[0]} {women[k]}, {names[1]} {men[k]}, {names[2]} {other[k]}"
                     for k, band in enumerate(bands))
    return _svg(pid, 2 * half + centre_w + 110, height, title, desc, body)


def _clip(text: str, size: int = 34) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _describe(rows, digits) -> str:
    return "; ".join(f"{label} : {fr_number(value, digits)}" for label, value in rows)
