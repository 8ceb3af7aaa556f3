"""write_file: owners kept, read-only files refused, long names, no leftovers.

Every file chainrule writes (a saved model, a picture, a page) goes through
:func:`nn.files.write_file`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import nn
from nn.files import write_file

NOBODY = 65534  # the unprivileged user of Debian and most systems


def test_saving_over_another_users_file_keeps_its_owner_and_group(tmp_path):
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    path = tmp_path / "theirs.json"
    nn.MLP(2, [1], seed=0).save(path)
    os.chown(path, NOBODY, NOBODY)
    os.chmod(path, 0o600)
    nn.MLP(2, [1], seed=1).save(path)  # as root
    info = os.stat(path)
    assert (info.st_uid, info.st_gid) == (NOBODY, NOBODY)  # they can still read it
    assert stat.S_IMODE(info.st_mode) == 0o600
    write_file(path, "text")
    assert os.stat(path).st_uid == NOBODY


@contextlib.contextmanager
def as_an_ordinary_user() -> Iterator[Path]:
    """A folder anyone may write, used as an ordinary user (root drops to nobody)."""
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    os.chmod(folder, 0o777)
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    try:
        if root:
            os.seteuid(NOBODY)
        try:
            yield folder
        finally:
            if root:
                os.seteuid(0)
    finally:
        shutil.rmtree(folder)


def test_a_read_only_file_is_refused_as_open_would_refuse_it_unless_forced():
    with as_an_ordinary_user() as folder:
        path = folder / "model.json"
        nn.MLP(2, [1], seed=0).save(path)
        os.chmod(path, 0o444)
        before = path.read_bytes()
        with pytest.raises(PermissionError, match="read-only for you") as caught:
            nn.MLP(2, [1], seed=1).save(path)
        assert caught.value.filename == str(path)
        with pytest.raises(PermissionError):
            open(path, "w")  # noqa: SIM115 (the refusal save() follows)
        assert path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["model.json"]
        write_file(path, "replaced", force=True)
        assert path.read_text() == "replaced"
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o444  # mode kept


def test_a_name_of_245_bytes_in_utf8_is_saved(tmp_path):
    path = tmp_path / ("∂" * 80 + ".json")  # 80 characters of 3 bytes, and 5
    assert len(os.fsencode(path.name)) == 245
    nn.MLP(2, [1], seed=0).save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    write_file(tmp_path / ("é" * 127 + "x"), b"255 bytes")  # the longest name
    assert len(list(tmp_path.iterdir())) == 2


needs_alarm = pytest.mark.skipif(
    not hasattr(signal, "setitimer"), reason="needs signal.setitimer (POSIX)"
)


@needs_alarm
def test_thousands_of_interrupted_writes_leave_no_temporary_file(tmp_path, monkeypatch):
    # fsync only takes time (9 ms a file here); the interrupts may land
    # anywhere else, as fast as the writes go.
    monkeypatch.setattr(os, "fsync", lambda fd: None)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    rng = np.random.default_rng(0)
    path = tmp_path / "model.json"
    payload = b"x" * 2000
    interrupted = 0
    deadline = time.perf_counter() + 8.0
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        while interrupted < 2000 and time.perf_counter() < deadline:
            try:
                signal.setitimer(signal.ITIMER_REAL, float(rng.uniform(5e-6, 2e-4)))
                until = time.perf_counter() + 0.05
                while time.perf_counter() < until:
                    write_file(path, payload)
                signal.setitimer(signal.ITIMER_REAL, 0.0)  # late (a busy machine)
            except KeyboardInterrupt:
                interrupted += 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0.0)
        signal.signal(signal.SIGALRM, previous)
    assert interrupted >= 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json"]
    assert path.read_bytes() == payload  # never half a file
