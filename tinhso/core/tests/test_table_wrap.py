"""Every table of every page scrolls inside its own box (`.table-wrap`,
overflow-x: auto) so that a 360 px phone never scrolls the whole page
sideways: a wide table added without it was found on the security officer's
screen and the staff directory by a click-through at 360 px."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_every_table_in_a_template_sits_in_a_table_wrap():
    bare = []
    for path in ROOT.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", text):
            if 'class="table-wrap"' not in text[max(0, match.start() - 60):match.start()]:
                bare.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}")
    assert bare == []
