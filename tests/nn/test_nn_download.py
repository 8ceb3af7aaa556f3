"""Downloads are bounded: a deadline, a size cap, checked mirrors, no partial files.

Every server here runs on 127.0.0.1: nothing is fetched from outside.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import nn
from nn.data import DownloadError, mnist
from nn.download import download


class _Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        del format, args


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[_Quiet], None]], str]]:
    """``serve(respond)``: a server on 127.0.0.1 answering GETs with ``respond``."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(respond: Callable[[_Quiet], None]) -> str:
        class Handler(_Quiet):
            def do_GET(self) -> None:
                # the client gives up, as it should: the server stops too
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    respond(self)

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def drip(handler: _Quiet, every: float = 0.05, length: str | None = "100000") -> None:
    """One byte at a time, forever (or until the client hangs up)."""
    handler.send_response(200)
    if length is not None:
        handler.send_header("Content-Length", length)
    handler.end_headers()
    while True:
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(every)


def flood(handler: _Quiet) -> None:
    """Bytes as fast as they go, with no Content-Length, forever."""
    handler.send_response(200)
    handler.end_headers()
    block = bytes(1 << 16)
    while True:
        handler.wfile.write(block)


def partial_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.part"))


def test_a_server_that_drips_is_given_up_at_the_deadline(serve, tmp_path):
    url = serve(drip)
    started = time.perf_counter()
    with pytest.raises(DownloadError, match="longer than its deadline of 1 s"):
        download(url + "x.gz", tmp_path / "x.gz", md5=None, progress=False, deadline=1)
    assert time.perf_counter() - started < 3
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_sends_without_end_is_cut_off_at_the_size_cap(serve, tmp_path):
    url = serve(flood)
    started = time.perf_counter()
    with pytest.raises(DownloadError, match="sent more than the 1,000,000 bytes"):
        download(
            url + "x.gz", tmp_path / "x.gz", md5=None, progress=False, max_bytes=10**6
        )
    assert time.perf_counter() - started < 5
    assert list(tmp_path.iterdir()) == []


def test_a_size_announced_beyond_the_cap_is_refused_before_reading(serve, tmp_path):
    url = serve(lambda handler: drip(handler, length="5000000000"))
    with pytest.raises(DownloadError, match="announces 5,000,000,000 bytes"):
        download(url + "x", tmp_path / "x", md5=None, progress=False, max_bytes=1000)
    assert list(tmp_path.iterdir()) == []


def test_mnist_downloads_no_more_than_each_files_known_size(
    serve, tmp_path, monkeypatch
):
    url = serve(flood)
    monkeypatch.setitem(nn.data.MNIST_SIZES, "train-images-idx3-ubyte", 200_000)
    with pytest.raises(DownloadError, match="sent more than the 200,000 bytes"):
        mnist(tmp_path / "cache", mirror=url, progress=False)
    assert list((tmp_path / "cache").iterdir()) == []


@pytest.mark.parametrize(
    ("mirror", "error", "words"),
    [
        (5, TypeError, "mirror must be a URL .* not int 5"),
        (("http://127.0.0.1:1/", 5), TypeError, "or a list of URLs"),
        ([], TypeError, "or a list of URLs"),
        ("http://127.0.0.1:8765/\r\nX: 1/", ValueError, r"control character .*'\\r'"),
        ("ftp://example.org/mnist/", ValueError, "must start with http://"),
        ("example.org/mnist/", ValueError, "must start with http://"),
        ("http:///mnist/", ValueError, "names no host"),
        ("http://127.0.0.1:99999999/", ValueError, "is not a URL"),
    ],
)
def test_a_mirror_is_checked_with_a_clear_error(tmp_path, mirror, error, words):
    with pytest.raises(error, match=words):
        mnist(tmp_path / "cache", mirror=mirror, progress=False)
    assert not (tmp_path / "cache").exists()


def test_several_mirrors_are_tried_in_order(
    tmp_path, file_server, closed_port, mnist_files, monkeypatch
):
    url, served, _ = file_server
    paths = mnist_files(served, gz=True)
    sums = {name: hashlib.md5(p.read_bytes()).hexdigest() for name, p in paths.items()}
    monkeypatch.setattr(nn.data, "MNIST_FILES", sums)
    split = mnist(tmp_path / "cache", mirror=(closed_port, url), progress=False)
    assert len(split.X_test) > 0


def test_a_later_download_removes_partial_files_left_long_ago(file_server, tmp_path):
    url, served, _ = file_server
    (served / "x.gz").write_bytes(gzip.compress(b"hello", mtime=0))
    old, fresh = tmp_path / ".x.gz.0badf00d.part", tmp_path / ".x.gz.c0ffee00.part"
    other = tmp_path / ".y.gz.0badf00d.part"
    for path in (old, fresh, other):
        path.write_bytes(b"partial")
    hours_ago = time.time() - 7200
    os.utime(old, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    download(url + "x.gz", tmp_path / "x.gz", md5=None, progress=False, deadline=60)
    # one left by a killed download goes; one that may still be written stays
    assert partial_files(tmp_path) == [fresh.name, other.name]


SLOW_DOWNLOAD = """
import signal, sys
# a program run from a terminal: the signals act (under nohup SIGHUP would be
# ignored, and the library rightly leaves an ignored signal alone)
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
from nn.download import download
download(sys.argv[1], sys.argv[2], md5=None, progress=False)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, getattr(signal, "SIGHUP", 0)])
def test_sigterm_and_sighup_remove_the_partial_file_then_end_the_program(
    serve, tmp_path, signum
):
    url = serve(drip)
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_DOWNLOAD, url + "x.gz", str(tmp_path / "x.gz")]
    )
    try:
        deadline = time.monotonic() + 20
        while not partial_files(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert partial_files(tmp_path), "the download never started"
        time.sleep(0.2)
        child.send_signal(signum)
        assert child.wait(timeout=10) == -signum  # ended by the signal, as before
    finally:
        if child.poll() is None:
            child.kill()
    assert list(tmp_path.iterdir()) == []
