"""The documentation: a small README, a manual whose links and shell examples hold.

The Python examples of README.md and docs/*.md run as doctests (pyproject's
``--doctest-glob``); these tests check what doctests cannot: the README's
size, the links between pages, and the ``console`` examples, whose commands
are run through ``demos.cli.main`` and must print what the page shows.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from demos import LESSONS
from demos.cli import main
from demos.extras import DISTRIBUTIONS

ROOT = Path(__file__).resolve().parents[1]
MANUAL = ["engine", "nn", "pictures", "lessons", "cli", "benchmarks", "extending"]
PAGES = [
    ROOT / "README.md",
    ROOT / "CONTRIBUTING.md",
    ROOT / "CHANGELOG.md",
    *sorted((ROOT / "docs").glob("*.md")),
]


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def test_the_readme_is_a_front_door() -> None:
    size = (ROOT / "README.md").stat().st_size
    assert size <= 12 * 1024, f"README.md is {size:,} bytes; move detail to docs/"


def test_the_manual_index_lists_every_page() -> None:
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    pages = {page.stem for page in (ROOT / "docs").glob("*.md")} - {"README"}
    assert set(MANUAL) <= pages
    for page in pages:
        assert f"]({page}.md)" in index, f"docs/README.md does not link {page}.md"


@pytest.mark.parametrize("page", ["README.md", "docs/lessons.md"])
def test_every_lesson_has_a_row_in_the_lessons_tables(page: str) -> None:
    rows = re.findall(r"^\| `([\w-]+)` \|", (ROOT / page).read_text("utf-8"), re.M)
    assert [row for row in rows if row in LESSONS] == list(LESSONS)


def anchors(page: Path) -> set[str]:
    """The anchors of a page's headings, as the repository host makes them."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    found: set[str] = set()
    for heading in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        anchor, n = slug, 1
        while anchor in found:
            anchor, n = f"{slug}-{n}", n + 1
        found.add(anchor)
    return found


def links(page: Path) -> list[str]:
    """The relative links and image sources of a page (code blocks left out)."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    targets += re.findall(r'<img src="([^"]+)"', text)
    return [t for t in targets if not re.match(r"[a-z]+:", t)]


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_link_leads_somewhere(page: Path) -> None:
    for target in links(page):
        path, _, anchor = target.partition("#")
        where = (page.parent / path).resolve() if path else page
        assert where.exists(), f"{_name(page)} links {target}: no such file"
        if anchor:
            assert anchor in anchors(where), f"{_name(page)} links {target}: no anchor"


def console_examples() -> list[object]:
    """(page, command, the output shown) for every ``$ chainrule`` line."""
    examples = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
            for command, output in re.findall(
                r"^\$ (.+)\n((?:(?!\$ ).*\n)*)", block, flags=re.MULTILINE
            ):
                name = f"{_name(page)}: {command.split('#')[0].strip()}"
                examples.append(pytest.param(_name(page), command, output, id=name))
    return examples


@pytest.mark.parametrize(("page", "command", "shown"), console_examples())
def test_console_examples_print_what_the_page_shows(
    page: str,
    command: str,
    shown: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    block_imports: Callable[..., None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    if "without the demos extra" in command:
        block_imports(*DISTRIBUTIONS)  # as after a plain pip install chainrule
    program, *argv = shlex.split(command, comments=True)
    assert program == "chainrule", f"{page}: only chainrule commands are checked"
    main(argv)
    out, err = capsys.readouterr()
    # a missing extra's hint names the Python that runs chainrule: "python" on the page
    said = (out + err).replace(f"{sys.executable} -m pip", "python -m pip")
    assert said == shown, f"{page}: $ {command}"
