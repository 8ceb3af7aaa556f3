"""Progress: a bar in a terminal and in Jupyter (with or without widgets), one
line per epoch in a log, nothing with ``progress=False``."""

from __future__ import annotations

import sys
import types

import pytest

import nn
from nn import train


def fit(progress: bool) -> None:
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 2], seed=0)
    nn.fit(model, X, y, epochs=3, batch_size=4, seed=0, progress=progress)


def test_a_log_gets_one_line_per_epoch(capsys):
    fit(progress=True)  # pytest's stderr is not a terminal: a log
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in err] == [
        "epoch 1/3",
        "epoch 2/3",
        "epoch 3/3",
    ]
    assert "loss 0." in err[0] and "acc " in err[0]


def test_progress_false_prints_nothing(capsys):
    fit(progress=False)
    assert capsys.readouterr() == ("", "")


@pytest.fixture
def notebook(monkeypatch):
    shell = types.SimpleNamespace(kernel=object())
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: shell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)


def test_jupyter_without_widgets_gets_tqdms_text_bar(notebook, block_imports):
    from tqdm.std import tqdm

    block_imports("ipywidgets")
    bar = train._progress_bar(3, True)
    assert type(bar) is tqdm
    bar.close()


def test_jupyter_with_widgets_gets_the_widget(notebook, monkeypatch):
    import tqdm.notebook

    made = []
    monkeypatch.setattr(train, "_has", lambda module: True)  # as if installed
    monkeypatch.setattr(tqdm.notebook, "tqdm", lambda *a, **k: made.append(k) or a[0])
    train._progress_bar(3, True)
    assert made == [{"desc": "training", "unit": "epoch"}]


def test_a_terminal_gets_a_bar(monkeypatch):
    from tqdm.std import tqdm

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    bar = train._progress_bar(3, True)
    assert type(bar) is tqdm
    bar.close()


def test_without_tqdm_a_terminal_gets_lines(monkeypatch, block_imports, capsys):
    block_imports("tqdm")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert isinstance(train._progress_bar(3, True), train.EpochLog)
