"""Server-rendered charts: the geometry of an SVG bar chart, computed here so that the
template only draws rectangles (no JavaScript, nothing fetched from elsewhere)."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Bar:
    day: date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    label: str
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    total: int
    peak: int


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``value``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def daily_bar_chart(
    points: list[tuple[date, int]],
    *,
    width: int = 720,
    height: int = 200,
    label_every: int = 15,
) -> BarChart:
    """One bar per day, scaled to the largest day; y ticks at 0, half and the top."""
    plot_left, plot_top, plot_bottom = 40, 8, height - 22
    plot_height = plot_bottom - plot_top
    peak = max((count for _, count in points), default=0)
    top = _nice_ceiling(max(peak, 1))
    slot = (width - plot_left) / max(len(points), 1)
    bars = []
    x_ticks = []
    for index, (day, count) in enumerate(points):
        bar_height = plot_height * count / top
        x = plot_left + index * slot
        bars.append(
            Bar(
                day=day,
                count=count,
                x=round(x + slot * 0.1, 2),
                y=round(plot_bottom - bar_height, 2),
                width=round(slot * 0.8, 2),
                height=round(bar_height, 2),
            )
        )
        if index % label_every == 0:
            x_ticks.append(Tick(label=day.strftime("%d/%m"), x=round(x, 2), y=height - 6))
    y_ticks = [
        Tick(label=str(value), y=round(plot_bottom - plot_height * value / top, 2))
        for value in sorted({0, top // 2, top})
    ]
    return BarChart(
        width=width,
        height=height,
        plot_left=plot_left,
        plot_bottom=plot_bottom,
        bars=bars,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        total=sum(count for _, count in points),
        peak=peak,
    )
