"""Server-side SVG bar charts for the ESAT indicators (no JavaScript, nothing from a CDN)."""

from dataclasses import dataclass

from . import exports

WIDTH, HEIGHT, PAD = 360, 160, 24


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    value: int
    year: int
    label_x: int


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - PAD


def indicator_charts(table: dict) -> list[Chart]:
    """One chart per indicator: a bar per year, scaled to the indicator's largest value."""
    labels = exports.labels()
    years = table["years"]
    slot = (WIDTH - 2 * PAD) // max(1, len(years))
    charts = []
    for name, values in table["rows"].items():
        top = max(values) or 1
        bars = []
        for n, (year, value) in enumerate(zip(years, values, strict=True)):
            height = round((HEIGHT - 2 * PAD) * value / top)
            x = PAD + n * slot + slot // 6
            bars.append(Bar(x=x, y=HEIGHT - PAD - height, width=slot * 2 // 3, height=height, value=value, year=year,
                            label_x=x + slot // 3))
        charts.append(Chart(name=name, title=labels[name], bars=bars))
    return charts
