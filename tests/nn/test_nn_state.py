"""state_dict, save and load: exact round trips, atomic writes, corrupt files."""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import socket
import stat
import threading
import time
import tracemalloc
import zipfile

import numpy as np
import pytest

import nn
from autograd import Value


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
    assert fresh.layers[0].neurons[1].w[2].label == "w²₂₃"


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
        "an int too large for a float": variant(
            "o.json", text.replace(json.dumps(params[first]), "1" + "0" * 400, 1)
        ),
        "a number of 5000 digits": variant(
            "d.json", text.replace(json.dumps(params[first]), "1" * 5000, 1)
        ),
        "nested too deeply": variant("r.json", "[" * 20_000),
        "version true": variant("vt.json", edited(version=True)),
        "version 1.0": variant("vf.json", edited(version=1.0)),
        "a name twice": variant(
            "twice.json",
            text.replace(f'"{first}"', f'"{first}": 0.5, "{first}"', 1),
        ),
        "npz version true": _npz_variant(tmp_path, "vt.npz", version=True),
        "npz names twice": _npz_variant(tmp_path, "twice.npz", twice=True),
        "npz names as numbers": _npz_variant(tmp_path, "nn.npz", names=[1, 2]),
        "npz huge declared shape": _huge_header(tmp_path),
        "npz an object array": _npz_variant(
            tmp_path, "obj.npz", values=np.array([1.0, None], dtype=object)
        ),
        "far too large": variant("big.json", b" " * 10_000_000),
    }


def _npz_variant(tmp_path, name, version=1, twice=False, names=None, values=None):
    model = trained_model()
    state = model.state_dict()
    listed = list(state) if names is None else names
    numbers = list(state.values())
    if twice:
        listed = [*listed, listed[0]]
        numbers = [*numbers, 0.5]
    path = tmp_path / name
    arrays = {
        "format": np.array("chainrule-model"),
        "version": np.array(version),
        "names": np.array(listed),
        "values": np.array(numbers) if values is None else values,
    }
    with zipfile.ZipFile(path, "w") as archive:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=True)
            archive.writestr(f"{key}.npy", buffer.getvalue())
    return path


def _values_declaring(path, floats, padding, compression=zipfile.ZIP_STORED):
    """A saved model whose 'layers.0.W' entry is a header declaring ``floats``
    floats, followed by ``padding`` zero bytes."""
    trained_model().save(path)
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    buffer = io.BytesIO()
    header = {"descr": "<f8", "fortran_order": False, "shape": (floats,)}
    np.lib.format.write_array_header_1_0(buffer, header)
    entries["layers.0.W.npy"] = buffer.getvalue() + b"\0" * padding
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _huge_header(tmp_path):
    """An archive whose 'layers.0.W' header declares 10**13 floats (80 TB)."""
    return _values_declaring(tmp_path / "huge.npz", 10**13, 64)


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
        nn.StateDictError, match=r"'layers.0.W' .* shape \(5, 2\).*another shape"
    ):
        trained_model().load(path)
    nn.MLP(2, [5, 2], seed=0).save(path.with_suffix(".json"))
    with pytest.raises(
        nn.StateDictError, match=r"missing .*unexpected .*another shape"
    ):
        trained_model().load(path.with_suffix(".json"))


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


# --- save: only regular files, permissions kept, nothing left behind ----------------


def assert_only(folder, *names):
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def test_save_refuses_a_named_pipe_and_leaves_it_a_pipe(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"named pipe \(FIFO\), not a file"):
        trained_model().save(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert_only(tmp_path, "pipe")


def test_save_refuses_a_device(tmp_path):
    device = tmp_path / "null"
    try:  # as root: a node like /dev/null, made here
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:  # not root: /dev/null itself cannot be replaced
        device = "/dev/null"
    with pytest.raises(ValueError, match="character device, not a file"):
        trained_model().save(device)
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_save_refuses_a_folder_and_a_socket(tmp_path):
    with pytest.raises(ValueError, match="is a folder, not a file"):
        trained_model().save(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock"))
        with pytest.raises(ValueError, match="is a socket, not a file"):
            trained_model().save(tmp_path / "sock")
    finally:
        server.close()
    assert_only(tmp_path, "sock")


def test_save_over_a_symbolic_link_keeps_the_link_and_replaces_its_file(tmp_path):
    real = tmp_path / "runs" / "model.json"
    real.parent.mkdir()
    trained_model(seed=0).save(real)
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    model = trained_model(seed=1)
    model.save(link)
    assert link.is_symlink() and link.resolve() == real
    assert nn.MLP(3, [4, 2]).load(real).state_dict() == model.state_dict()
    assert_only(real.parent, "model.json")


def test_save_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "secret.json"
    trained_model().save(path)
    os.chmod(path, 0o600)
    trained_model(seed=1).save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    os.chmod(path, 0o640)
    trained_model(seed=2).save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644)])
def test_a_new_file_gets_the_permissions_the_umask_allows(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        trained_model().save(tmp_path / "new.npz")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.npz").st_mode) == mode


def test_save_errors_name_the_path_and_leave_no_temporary_file(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        trained_model().save(tmp_path / "no such folder" / "m.json")
    assert info.value.filename == str(tmp_path / "no such folder" / "m.json")
    locked = tmp_path / "locked"
    locked.mkdir()
    path = locked / "m.json"
    trained_model().save(path)
    os.chmod(path, 0o444)
    trained_model(seed=1).save(path)  # a read-only file is replaced, mode kept
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    assert_only(locked, "m.json")


def test_save_with_a_long_file_name(tmp_path):
    path = tmp_path / ("m" * 250 + ".json")  # the longest names a folder takes
    trained_model().save(path)
    assert_only(tmp_path, path.name)
    with pytest.raises(OSError, match="too long") as info:
        trained_model().save(tmp_path / ("m" * 300 + ".json"))
    assert info.value.filename == str(tmp_path / ("m" * 300 + ".json"))
    assert_only(tmp_path, path.name)


@pytest.mark.parametrize("name", ["m.NPZ", "m.Npz", "m.npz"])
def test_an_npz_suffix_in_any_case_writes_an_archive(tmp_path, name):
    trained_model().save(tmp_path / name)
    assert (tmp_path / name).read_bytes()[:2] == b"PK"
    assert nn.MLP(3, [4, 2]).load(tmp_path / name).state_dict() == (
        trained_model().state_dict()
    )


def test_save_takes_a_str_a_path_or_bytes_and_nothing_else(tmp_path):
    trained_model().save(os.fsencode(tmp_path / "b.json"))
    assert (tmp_path / "b.json").exists()
    with pytest.raises(TypeError, match="file name"):
        trained_model().save(3)  # type: ignore[arg-type]


# --- load: quick, bounded, and only regular files -------------------------------------


def test_load_refuses_a_named_pipe_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def unblock():  # if load ever waits on the pipe, let it go after 5 s
        time.sleep(5)
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=unblock, daemon=True).start()
    started = time.perf_counter()
    with pytest.raises(nn.StateDictError, match="named pipe"):
        trained_model().load(fifo)
    assert time.perf_counter() - started < 2


def test_load_refuses_a_device_without_reading_it():
    with pytest.raises(nn.StateDictError, match="character device"):
        trained_model().load("/dev/zero")  # would never end


def test_a_folder_is_an_is_a_directory_error(tmp_path):
    with pytest.raises(IsADirectoryError):
        trained_model().load(tmp_path)


def test_an_extra_huge_entry_is_never_read(tmp_path):
    path = tmp_path / "extra.npz"
    trained_model(seed=3).save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("padding.npy", b"\0" * 50_000_000)  # 50 MB, ~50 kB zipped
    model = trained_model()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        model.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 1
    assert peak < 5_000_000
    assert model.state_dict() == trained_model(seed=3).state_dict()


def test_an_entry_larger_than_the_model_needs_is_refused_unread(tmp_path):
    path = _values_declaring(  # 80 MB of zeros, ~80 kB zipped
        tmp_path / "bomb.npz", 10**8, 80_000_000, zipfile.ZIP_DEFLATED
    )
    started = time.perf_counter()
    with pytest.raises(nn.StateDictError, match="far more than needed"):
        trained_model().load(path)
    assert time.perf_counter() - started < 1


# --- the .npz layout: one array per matrix, what numpy reads ------------------------


def test_np_load_gives_each_matrix_under_the_name_users_see(tmp_path):
    model = nn.Sequential(
        nn.Conv2d(1, 2, kernel_size=3, seed=0), nn.Flatten(), nn.MLP(8, [3], seed=1)
    )
    model.save(tmp_path / "m.npz")
    archive = np.load(tmp_path / "m.npz")
    for name, array in model.named_arrays():
        assert np.array_equal(archive[name], array.data), name
    assert archive["layers.2.layers.0.W"].shape == (3, 8)
    assert str(archive["format"]) == "chainrule-model" and int(archive["version"]) == 2


def test_a_parameter_of_its_own_is_an_entry_of_its_own(tmp_path):
    class Line(nn.Module):
        def __init__(self):
            self.w = [Value(2.0), Value(-1.0)]
            self.b = Value(0.5)
            self.inner = nn.Neuron(2, seed=0)  # a neuron of its own: its W and b

    line = Line()
    line.save(tmp_path / "line.npz")
    archive = np.load(tmp_path / "line.npz")
    assert float(archive["w.1"]) == -1.0 and float(archive["b"]) == 0.5
    assert float(archive["inner.W"][0, 0]) == line.inner.w[0].data
    fresh = Line()
    fresh.w[1].data = 9.0
    assert fresh.load(tmp_path / "line.npz").state_dict() == line.state_dict()


def test_the_file_is_hardly_larger_than_the_numbers(tmp_path):
    model = nn.MLP(784, [128, 10], seed=0)
    model.save(tmp_path / "m.npz")
    raw = sum(array.data.nbytes for _, array in model.named_arrays())
    assert os.path.getsize(tmp_path / "m.npz") < 1.2 * raw
    fresh = nn.MLP(784, [128, 10], seed=1).load(tmp_path / "m.npz")
    assert np.array_equal(fresh.layers[0].W.data, model.layers[0].W.data)


def test_files_of_version_1_still_load(tmp_path):
    model = trained_model(seed=5)
    state = model.state_dict()
    old_npz = tmp_path / "old.npz"
    np.savez(
        old_npz,
        format=np.array("chainrule-model"),
        version=np.array(1),
        model=np.array("MLP"),
        names=np.array(list(state), dtype=str),
        values=np.array(list(state.values())),
    )
    old_json = tmp_path / "old.json"
    old_json.write_text(
        json.dumps(
            {
                "format": "chainrule-model",
                "version": 1,
                "model": "MLP",
                "parameters": state,
            }
        )
    )
    for path in (old_npz, old_json):
        assert trained_model(seed=6).load(path).state_dict() == state
