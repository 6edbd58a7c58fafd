"""The dashboard's charts: geometry proportional to the figures, and the page
draws them from the same numbers as its tables, with each figure explained."""

import datetime
import re
from decimal import Decimal

from tinhso.dashboard.charts import month_trend, nice_ceiling, share_bars


def test_axis_maximum_is_round_and_not_below_the_data():
    assert [nice_ceiling(v) for v in (0, 1, 7, 11, 180, 2400, 9999)] == [1, 1, 10, 20, 200, 2500, 10000]


def test_month_bars_are_proportional_and_stack_late_on_in_time():
    months = [{"month": datetime.date(2025, 1, 1), "received": 100, "finished": 80, "finished_in_time": 60,
               "finished_late": 20},
              {"month": datetime.date(2025, 2, 1), "received": 50, "finished": 0, "finished_in_time": 0,
               "finished_late": 0}]
    chart = month_trend(months)
    received = [m for m in chart["marks"] if m["cls"] == "bar-received"]
    in_time = [m for m in chart["marks"] if m["cls"] == "bar-in-time"]
    late = [m for m in chart["marks"] if m["cls"] == "bar-late"]
    assert round(received[0]["h"] / received[1]["h"], 6) == 2
    assert round(in_time[0]["h"] / late[0]["h"], 6) == 3
    assert round(late[0]["y"] + late[0]["h"], 6) == round(in_time[0]["y"], 6)  # stacked
    assert round(received[0]["h"] / (in_time[0]["h"] + late[0]["h"]), 6) == round(100 / 80, 6)
    assert month_trend([]) is None


def test_rate_bars_place_the_target_and_colour_by_result():
    chart = share_bars([{"label": "Đúng hạn", "value": Decimal("50"), "target": Decimal("90"), "met": False},
                        {"label": "Trực tuyến", "value": None, "target": None, "met": None}])
    first, second = chart["rows"]
    assert first["w"] == chart["plot_w"] / 2 and first["cls"] == "bar-missed"
    assert first["target_x"] == chart["left"] + chart["plot_w"] * 0.9
    assert second["w"] == 0 and second["target_x"] is None and second["cls"] == "bar-neutral"


def test_the_page_draws_the_month_chart_from_the_table_figures(client, data):
    client.force_login(data.province_leader)
    response = client.get("/dashboard/", {"year": 2025})
    html = response.content.decode()
    months = response.context["months"]
    bars = re.findall(r'class="bar-received"><title>(\d\d/\d{4}): (\d+)</title>', html)
    assert [(m["month"].strftime("%m/%Y"), str(m["received"])) for m in months] == bars
    assert sum(int(n) for _, n in bars) == response.context["figures"]["received"]
    # SVG geometry is never localised (a decimal comma breaks the drawing in Vietnamese).
    assert not re.search(r'\b(?:x|y|x1|x2|y1|y2|width|height)="[^"]*,', html)
    assert 'id="target-chart"' in html and 'id="agency-chart"' in html
    # Each figure is explained on the page, not in a document elsewhere.
    assert "docs/dashboard.md" not in html
    assert "chia cho tổng số hồ sơ có kết quả trong kỳ" in html
