"""Every lesson runs end to end (short settings) and writes what it promises."""

from __future__ import annotations

import io
import itertools
import math
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from demos import LESSONS, DemoError, MissingExtraError, run_lesson
from demos.cli import main


def _check_file(path: Path) -> None:
    assert path.exists(), f"{path.name} was not written"
    assert path.stat().st_size > 0, f"{path.name} is empty"
    if path.suffix == ".svg":
        root = ET.fromstring(path.read_text(encoding="utf-8"))
        assert root.tag.endswith("svg")
    elif path.suffix == ".png":
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    elif path.suffix == ".html":
        text = path.read_text(encoding="utf-8")
        assert "<svg" in text and "step 1 of" in text
        assert "http://" not in text.replace("http://www.w3.org", "")


# What the training lessons reach in quick mode (seed 0), with a margin below
# the measured figure; chance is 0.5 for these two-class problems.
QUICK_FLOORS = {
    "neuron": {"accuracy": 0.8},  # measured 0.925 (0.875 to 0.95 over seeds 0-3)
    "moons": {"test accuracy": 0.75},  # measured 0.92 (0.84 to 0.96)
    "xor": {"mlp accuracy": 1.0},
    "pixels": {"accuracy": 1.0},
}


def _options(name: str, mnist_files: Callable[..., dict[str, Path]]) -> dict:
    """What a lesson needs besides its name: the MNIST files for ``mnist``."""
    if name != "mnist":
        return {}
    return {"data": next(iter(mnist_files().values())).parent}


@pytest.mark.parametrize("name", list(LESSONS))
def test_every_lesson_writes_the_files_it_promises(
    name: str, lesson_run: Callable[[str], Any]
) -> None:
    # the lesson runs with only the extras it declares importable (see
    # lesson_run): its NEEDS are complete
    run = lesson_run(name)
    result = run.result
    promised = LESSONS[name].files
    assert promised, f"lesson {name} promises no files"
    assert sorted(p.name for p in result.files) == sorted(promised)
    for filename in promised:
        _check_file(result.out / filename)
    text = run.said
    assert "Look at" in text
    for number in result.numbers.values():
        assert isinstance(number, float) and not math.isnan(number)
    for key, floor in QUICK_FLOORS.get(name, {}).items():
        assert result.numbers[key] >= floor, (key, result.numbers[key])


def test_chain_numbers(tmp_path: Path) -> None:
    result = run_lesson("chain", tmp_path, stream=io.StringIO())
    assert result.numbers["dE/dw1"] == pytest.approx(1.5 * -0.5)  # x · w2
    assert result.numbers["dE/dw2"] == pytest.approx(1.5 * 2.0)  # x · w1


def test_square_numbers(tmp_path: Path) -> None:
    said = io.StringIO()
    result = run_lesson("square", tmp_path, stream=said)
    assert result.numbers["dE/dw"] == -2.0
    assert result.numbers["w after one step"] == pytest.approx(-0.8)
    assert "diverges" in said.getvalue()
    finals = {
        float(key.rsplit("= ", 1)[1]): value
        for key, value in result.numbers.items()
        if key.startswith("w after 10 steps")
    }
    for rate, w in finals.items():
        assert w == pytest.approx((-1.0) * (1 - 2 * rate) ** 10)
    # E = w², so rates with the same |1 − 2·lr| draw the same curve: none do here.
    energies = [round(w**2, 12) for w in finals.values()]
    assert len(set(energies)) == len(energies) == 5


def test_building_blocks_rules(tmp_path: Path) -> None:
    said = io.StringIO()
    result = run_lesson("building-blocks", tmp_path, stream=said)
    # every step is shown, so the numbering has no gaps (1/2, 2/2)
    shown = re.findall(r"^step (\d+)/(\d+) ", said.getvalue(), re.M)
    assert shown and shown[0] == ("1", shown[0][1])
    for (k, total), (k_next, total_next) in itertools.pairwise(shown):
        if k_next != "1":  # within one block's pass: 1, 2, ..., total
            assert (int(k_next), total_next) == (int(k) + 1, total)
        else:
            assert k == total  # the pass before ran to its end
    numbers = result.numbers
    assert numbers["connection: db/da"] == -1.5  # ∂b/∂a = w
    assert numbers["sum: ds/da1"] == 1.0
    assert numbers["sigmoid: da/dz"] == pytest.approx(0.2350, abs=1e-4)


def test_xor_linear_fails_mlp_solves(tmp_path: Path) -> None:
    result = run_lesson("xor", tmp_path, progress=False, stream=io.StringIO())
    assert result.numbers["linear accuracy"] <= 0.75
    assert result.numbers["mlp accuracy"] == 1.0


def test_pixels_reaches_full_accuracy(tmp_path: Path) -> None:
    result = run_lesson("pixels", tmp_path, progress=False, stream=io.StringIO())
    assert result.numbers["accuracy"] == 1.0


# Quick mode trains on 200 of the 1,437 images; chance is 0.1 on ten classes.
# (The full lessons' ≥ 95% is checked in tests/nn/test_nn_train.py.)


def test_digits_quick_learns_the_digits(tmp_path: Path) -> None:
    result = run_lesson(
        "digits", tmp_path, quick=True, epochs=10, progress=False, stream=io.StringIO()
    )
    assert result.numbers["test accuracy"] >= 0.75  # measured 0.88 (0.85 to 0.90)


def test_digits_cnn_quick(tmp_path: Path) -> None:
    said = io.StringIO()
    result = run_lesson(
        "digits", tmp_path, cnn=True, quick=True, epochs=3, progress=False, stream=said
    )
    assert result.numbers["test accuracy"] >= 0.6  # measured 0.88 (0.76 to 0.88)
    text = said.getvalue()
    assert "filters" in text and "MLP" not in text
    assert {p.name for p in result.files} == set(LESSONS["digits"].files)
    assert "MLP" not in LESSONS["digits"].summary  # the header of both networks


def test_digits_lists_and_draws_the_same_mistakes(tmp_path: Path) -> None:
    said = io.StringIO()
    result = run_lesson(
        "digits", tmp_path, quick=True, epochs=2, progress=False, stream=said
    )
    text = said.getvalue()
    listed = len(
        re.findall(r"^  test image \d+: (a [0-79]|an 8) read as \d$", text, re.M)
    )
    mistakes = int(result.numbers["mistakes"])
    assert f"Mistakes: {mistakes} of 360" in text
    assert listed == min(mistakes, 12)
    if mistakes > 12:
        assert "the first 12 (also drawn in mistakes.png)" in text
    assert "validation" not in text


def test_activations_show_vanishing_gradients_and_dead_relus(tmp_path: Path) -> None:
    said = io.StringIO()
    result = run_lesson(
        "activations", tmp_path, quick=True, progress=False, stream=said
    )
    rows = re.findall(
        r"^ +(\d+) +\d\.\d+e[-+]\d+ +\d\.\d+e[-+]\d+", said.getvalue(), re.M
    )
    assert rows == [str(k) for k in range(1, 10)]  # 8 hidden layers and the output
    assert "9 the output" in said.getvalue() and "(output)" in said.getvalue()
    numbers = result.numbers
    sigmoid_ratio = (
        numbers["sigmoid first-layer gradient"] / numbers["sigmoid last-layer gradient"]
    )
    relu_ratio = (
        numbers["ReLU first-layer gradient"] / numbers["ReLU last-layer gradient"]
    )
    assert sigmoid_ratio < 1e-3 < relu_ratio
    assert numbers["dead: bad init: every bias −2"] > 0.5


TIMES = ("seconds", "ms per step")  # measured, not computed: they vary


@pytest.mark.slow
@pytest.mark.parametrize("name", list(LESSONS))
def test_same_seed_same_numbers(
    name: str, tmp_path: Path, mnist_files: Callable[..., dict[str, Path]]
) -> None:
    options = _options(name, mnist_files)
    runs = [
        run_lesson(
            name,
            tmp_path / str(k),
            seed=3,
            quick=True,
            epochs=1,
            progress=False,
            stream=io.StringIO(),
            **options,
        ).numbers
        for k in range(2)
    ]
    for numbers in runs:
        for key in TIMES:
            numbers.pop(key, None)
    assert runs[0] == runs[1]
    assert runs[0], f"lesson {name} records no numbers"


def test_demo_through_the_cli_with_hidden_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "moons"
    code = main(
        [
            "demo",
            "moons",
            "--out",
            str(out),
            "--seed",
            "1",
            "--no-progress",
            "--epochs",
            "2",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "test accuracy" in printed
    for filename in LESSONS["moons"].files:
        _check_file(out / filename)


def test_digits_cnn_alias(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["demo", "digits-cnn", "--out", str(tmp_path), "--quick", "--no-progress"]
    )
    assert code == 0
    assert "filters" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"name": "nope"}, ["no lesson named 'nope'", "chain"]),
        ({"name": "chain", "cnn": True}, ["--cnn"]),
        ({"name": "chain", "epochs": 0}, ["--epochs"]),
    ],
)
def test_run_lesson_mistakes(tmp_path: Path, kwargs: dict, words: list[str]) -> None:
    with pytest.raises(DemoError) as caught:
        run_lesson(out=tmp_path, stream=io.StringIO(), **kwargs)
    for word in words:
        assert word in str(caught.value)


def test_gallery_copies_one_picture_per_lesson(tmp_path: Path) -> None:
    from demos.gallery import main as gallery

    assert gallery([str(tmp_path), "chain", "building-blocks"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "building-blocks.svg",
        "chain.svg",
    ]
    assert gallery([str(tmp_path), "nope"]) == 2


@pytest.mark.parametrize(
    "name", [name for name, lesson in LESSONS.items() if lesson.needs]
)
def test_a_lesson_without_its_extras_says_what_to_install(
    name: str, tmp_path: Path, block_imports: Callable[..., None]
) -> None:
    block_imports(*LESSONS[name].needs)
    names = {"sklearn": "scikit-learn"}
    pip_names = " ".join(names.get(module, module) for module in LESSONS[name].needs)
    with pytest.raises(MissingExtraError) as caught:
        run_lesson(name, tmp_path / "out", stream=io.StringIO())
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"the {name} lesson needs ")
    assert message.endswith(
        f"install with {sys.executable} -m pip install {pip_names}."
    )
    assert not (tmp_path / "out").exists()  # stopped before writing anything


def test_chainrule_demo_without_matplotlib_is_one_line_and_exit_code_2(
    tmp_path: Path,
    block_imports: Callable[..., None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    block_imports("matplotlib")
    code = main(["demo", "xor", "--out", str(tmp_path / "xor")])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == (
        "chainrule demo: error: the xor lesson needs matplotlib, which is not "
        f"installed; install with {sys.executable} -m pip install matplotlib.\n"
    )
    block_imports("sklearn")
    assert main(["demo", "digits", "--quick"]) == 2
    assert "needs matplotlib and scikit-learn, which are" in capsys.readouterr().err


def test_every_lesson_names_a_picture_it_writes() -> None:
    for lesson in LESSONS.values():
        assert lesson.picture in lesson.files


def test_a_lesson_without_graphviz_writes_dot_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run_lesson("chain", tmp_path, stream=io.StringIO())
    assert [p.name for p in result.files] == ["graph.dot"]
    assert "digraph" in (tmp_path / "graph.dot").read_text()
    assert "apt-get install graphviz" in capsys.readouterr().err
