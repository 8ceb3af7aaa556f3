"""state_dict, save and load: exact round trips, atomic writes, corrupt files."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

import nn


def trained_model(seed=0):
    model = nn.MLP(3, [4, 2], seed=seed)
    for p in model.parameters():  # values with all their digits
        p.data = p.data / 3.0 + 1e-17
    return model


@pytest.mark.parametrize("suffix", [".json", ".npz", ""])
def test_round_trip_is_exact(tmp_path, suffix):
    model = trained_model()
    path = tmp_path / f"model{suffix}"
    model.save(path)
    fresh = nn.MLP(3, [4, 2], seed=99)
    assert fresh.load(path) is fresh
    assert fresh.state_dict() == model.state_dict()  # bit for bit
    assert all(type(p.data) is float for p in fresh.parameters())
    assert fresh.layers[0].neurons[1].w[2].label == "layers.0.neurons.1.w.2"


def test_json_file_is_readable(tmp_path):
    path = tmp_path / "m.json"
    nn.MLP(2, [1], seed=0).save(path)
    document = json.loads(path.read_text())
    assert document["format"] == "chainrule-model"
    assert document["model"] == "MLP"
    assert list(document["parameters"]) == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
    ]


def test_state_dict_round_trip_and_copy():
    model = trained_model()
    state = model.state_dict()
    other = nn.MLP(3, [4, 2], seed=5)
    other.load_state_dict(state)
    assert other.state_dict() == state
    state["layers.0.neurons.0.b"] = 123.0  # a copy: the model is not touched
    assert model.layers[0].neurons[0].b.data != 123.0


def corrupt_files(tmp_path):
    model = trained_model()
    good_json = tmp_path / "good.json"
    good_npz = tmp_path / "good.npz"
    model.save(good_json)
    model.save(good_npz)
    text = good_json.read_text()
    raw = good_npz.read_bytes()
    document = json.loads(text)

    def variant(name, content):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path

    def edited(**changes):
        return json.dumps({**document, **changes})

    params = document["parameters"]
    first = next(iter(params))
    return {
        "truncated json": variant("t.json", text[: len(text) // 2]),
        "truncated npz": variant("t.npz", raw[: len(raw) // 2]),
        "garbage": variant("g.bin", bytes(range(256)) * 4),
        "empty": variant("e.json", b""),
        "another format": variant("f.json", json.dumps({"weights": [1, 2]})),
        "a list": variant("l.json", "[1, 2, 3]"),
        "wrong version": variant("v.json", edited(version=99)),
        "no parameters": variant("p.json", edited(parameters=[1, 2])),
        "nan": variant("n.json", text.replace(json.dumps(params[first]), "NaN", 1)),
        "infinity": variant(
            "i.json", text.replace(json.dumps(params[first]), "1e999", 1)
        ),
        "a string value": variant(
            "s.json", edited(parameters={**params, first: "0.5"})
        ),
        "a list value": variant(
            "a.json", edited(parameters={**params, first: [0.5, 1.0]})
        ),
        "missing name": variant(
            "m.json", edited(parameters={k: v for k, v in params.items() if k != first})
        ),
        "extra name": variant(
            "x.json", edited(parameters={**params, "layers.9.b": 1.0})
        ),
        "other shape": _other_shape(tmp_path),
    }


def _other_shape(tmp_path):
    path = tmp_path / "other.npz"
    nn.MLP(2, [5, 2], seed=0).save(path)
    return path


def test_bad_files_raise_clear_errors_and_change_nothing(tmp_path):
    for case, path in corrupt_files(tmp_path).items():
        model = trained_model(seed=1)
        before = model.state_dict()
        with pytest.raises(nn.StateDictError) as info:
            model.load(path)
        assert isinstance(info.value, ValueError), case
        assert str(info.value).endswith((".", "?")), case
        assert model.state_dict() == before, case


def test_other_shape_names_the_problem(tmp_path):
    path = _other_shape(tmp_path)
    with pytest.raises(
        nn.StateDictError, match=r"missing .*unexpected .*another shape"
    ):
        trained_model().load(path)


def test_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        trained_model().load(tmp_path / "nope.json")


def test_load_state_dict_validates_everything_first():
    model = trained_model()
    before = model.state_dict()
    state = dict(before)
    state[list(state)[-1]] = math.inf  # the last one is bad: the first must not change
    state[next(iter(state))] = 42.0
    with pytest.raises(nn.StateDictError, match="finite"):
        model.load_state_dict(state)
    assert model.state_dict() == before
    with pytest.raises(nn.StateDictError, match="map names"):
        model.load_state_dict([1.0, 2.0])
    with pytest.raises(nn.StateDictError, match="one number"):
        model.load_state_dict({**before, next(iter(before)): True})
    model.load_state_dict({k: np.float64(v) for k, v in before.items()})


def test_save_is_atomic_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    old = trained_model(seed=0)
    old.save(path)
    original = path.read_bytes()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        trained_model(seed=1).save(path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json"]


def test_save_is_atomic_when_the_rename_fails(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    trained_model(seed=0).save(path)
    original = path.read_bytes()
    monkeypatch.setattr(
        os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt)
    )
    with pytest.raises(KeyboardInterrupt):
        trained_model(seed=1).save(path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_save_writes_through_a_temporary_file_in_the_same_folder(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(source, target):
        seen.append((os.path.dirname(source), os.path.basename(source), target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    path = tmp_path / "m.json"
    trained_model().save(path)
    ((folder, name, target),) = seen
    assert folder == str(tmp_path)
    assert name.startswith(".m.json.") and name.endswith(".tmp")
    assert target == str(path)


def test_save_refuses_non_finite_parameters(tmp_path):
    model = trained_model()
    model.layers[1].neurons[0].b.data = math.nan
    with pytest.raises(ValueError, match=r"not finite.*layers\.1\.neurons\.0\.b"):
        model.save(tmp_path / "m.json")
    assert not list(tmp_path.iterdir())
