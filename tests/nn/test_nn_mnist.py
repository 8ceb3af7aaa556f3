"""The MNIST loader: IDX files gzipped or not, checked headers, safe downloads.

The tests write small files in MNIST's real format themselves and serve
them from a local HTTP server on 127.0.0.1: nothing is fetched from outside.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

import nn
from nn.data import ChecksumError, DownloadError, mnist

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
NAMES = tuple(nn.data.MNIST_FILES)  # train images, train labels, test images, labels
TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS = NAMES


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def _serve(
    served: Path, mnist_files: Callable[..., dict[str, Path]], monkeypatch
) -> None:
    """Put the gzipped files where the server serves them; publish their MD5s."""
    paths = mnist_files(served, gz=True)
    checksums = {name: _md5(path) for name, path in paths.items()}
    monkeypatch.setattr(nn.data, "MNIST_FILES", checksums)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("gz", [True, False])
def test_reads_the_four_files_gzipped_or_not(
    gz: bool, mnist_files: Callable[..., dict[str, Path]], mnist_arrays: Arrays
) -> None:
    folder = mnist_files(gz=gz)[TRAIN_IMAGES].parent
    split = mnist(folder, download=False)
    train_images, train_labels, test_images, test_labels = mnist_arrays
    assert split.X_train.shape == (len(train_images), 784)
    assert split.X_test.shape == (len(test_images), 784)
    assert split.X_train.min() >= 0.0 and split.X_train.max() == 1.0
    np.testing.assert_allclose(split.X_train[3], train_images[3].ravel() / 255.0)
    assert split.y_train.tolist() == train_labels.tolist()
    assert (
        split.y_test.dtype.kind == "i" and split.y_test.tolist() == test_labels.tolist()
    )
    images = mnist(folder, download=False, images=True)
    assert images.X_test.shape == (len(test_images), 28, 28)
    np.testing.assert_array_equal(
        images.X_test.reshape(len(test_images), -1), split.X_test
    )


def test_reads_the_dotted_names_too(
    tmp_path: Path, mnist_arrays: Arrays, idx: Callable[..., bytes]
) -> None:
    for name, array in zip(NAMES, mnist_arrays):
        dotted = name.replace("-idx", ".idx")
        (tmp_path / dotted).write_bytes(idx(array))
    assert mnist(tmp_path, download=False).y_train.tolist() == mnist_arrays[1].tolist()


@pytest.mark.parametrize(
    ("which", "damage", "words"),
    [
        (TRAIN_IMAGES, lambda raw: b"\x00\x00\x08\x01" + raw[4:], "bad magic number"),
        (TEST_LABELS, lambda raw: b"\x12\x34\x56\x78" + raw[4:], "0x00000801"),
        (TRAIN_IMAGES, lambda raw: raw[:-100], "is truncated"),
        (TRAIN_LABELS, lambda raw: raw[:6], "ends inside its header"),
        (TEST_IMAGES, lambda raw: raw + b"\x00" * 7, "7 bytes more"),
        (TRAIN_LABELS, lambda raw: b"", "too few"),
    ],
)
def test_a_bad_file_is_named_with_what_is_wrong(
    which: str,
    damage: Callable[[bytes], bytes],
    words: str,
    mnist_files: Callable[..., dict[str, Path]],
) -> None:
    paths = mnist_files(gz=False)
    path = paths[which]
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ValueError, match=words) as caught:
        mnist(path.parent, download=False)
    assert str(path) in str(caught.value)


def test_a_truncated_gzip_file_is_refused(
    mnist_files: Callable[..., dict[str, Path]],
) -> None:
    path = mnist_files(gz=True)[TEST_IMAGES]
    path.write_bytes(path.read_bytes()[:-50])
    with pytest.raises(ValueError, match="truncated or damaged gzip") as caught:
        mnist(path.parent, download=False)
    assert path.name in str(caught.value)


def test_labels_must_match_the_images(
    tmp_path: Path, mnist_arrays: Arrays, idx: Callable[..., bytes]
) -> None:
    train_images, train_labels, test_images, test_labels = mnist_arrays
    arrays = (train_images, train_labels[:-1], test_images, test_labels)
    for name, array in zip(NAMES, arrays):
        (tmp_path / name).write_bytes(idx(array))
    with pytest.raises(ValueError, match="must belong together") as caught:
        mnist(tmp_path, download=False)
    assert "train-labels-idx1-ubyte" in str(caught.value)
    assert f"{len(train_labels) - 1:,} labels" in str(caught.value)


def test_images_must_be_28_by_28(
    tmp_path: Path, mnist_arrays: Arrays, idx: Callable[..., bytes]
) -> None:
    small = np.zeros((len(mnist_arrays[0]), 8, 8), dtype=np.uint8)
    for name, array in zip(NAMES, (small, *mnist_arrays[1:])):
        (tmp_path / name).write_bytes(idx(array))
    with pytest.raises(ValueError, match="8×8 images, not 28×28"):
        mnist(tmp_path, download=False)


def test_missing_files_without_download_say_where_to_put_them(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        mnist(tmp_path / "empty", download=False)
    message = str(caught.value)
    assert "train-images-idx3-ubyte is not in" in message
    assert str(tmp_path / "empty") in message and "by hand" in message


def test_downloads_verifies_and_keeps_the_files(
    tmp_path: Path,
    file_server: tuple[str, Path, list[str]],
    mnist_files: Callable[..., dict[str, Path]],
    mnist_arrays: Arrays,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, served, asked = file_server
    _serve(served, mnist_files, monkeypatch)
    cache = tmp_path / "cache" / "mnist"
    split = mnist(cache, mirror=url, progress=False)
    assert split.y_test.tolist() == mnist_arrays[3].tolist()
    assert _leftovers(cache) == sorted(f"{name}.gz" for name in NAMES)
    assert sorted(asked) == sorted(f"/{name}.gz" for name in NAMES)
    mnist(cache, mirror=url, progress=False)  # all there: nothing downloaded again
    assert len(asked) == 4


def test_only_missing_files_are_downloaded(
    tmp_path: Path,
    file_server: tuple[str, Path, list[str]],
    mnist_files: Callable[..., dict[str, Path]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, served, asked = file_server
    _serve(served, mnist_files, monkeypatch)
    cache = tmp_path / "cache"
    mnist_files(cache, gz=False)
    (cache / "t10k-labels-idx1-ubyte").unlink()
    mnist(cache, mirror=url, progress=False)
    assert asked == ["/t10k-labels-idx1-ubyte.gz"]


def test_a_checksum_mismatch_is_refused_and_nothing_is_kept(
    tmp_path: Path,
    file_server: tuple[str, Path, list[str]],
    mnist_files: Callable[..., dict[str, Path]],
) -> None:
    url, served, asked = file_server
    mnist_files(served, gz=True)  # the published MD5s are MNIST's, not these files'
    cache = tmp_path / "cache"
    with pytest.raises(ChecksumError) as caught:
        mnist(cache, mirror=url, progress=False)
    message = str(caught.value)
    assert "train-images-idx3-ubyte.gz" in message
    assert "does not match its published MD5 checksum" in message
    assert "f68b3c2dcbeaaa9fbdd348bbdeb94873" in message
    assert str(cache) in message and "by hand" in message
    assert _leftovers(cache) == []  # no partial, no unverified file
    assert asked == ["/train-images-idx3-ubyte.gz"]


def test_no_network_is_a_clear_error(tmp_path: Path, closed_port: str) -> None:
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError) as caught:
        mnist(cache, mirror=closed_port, progress=False)
    message = str(caught.value)
    assert message.startswith("could not download train-images-idx3-ubyte.gz")
    assert f"cannot reach {closed_port}train-images-idx3-ubyte.gz" in message
    assert "put the four files" in message and str(cache) in message
    assert not isinstance(caught.value, ChecksumError)
    assert _leftovers(cache) == []


def test_a_missing_file_on_the_mirror_is_a_clear_error(
    tmp_path: Path, file_server: tuple[str, Path, list[str]]
) -> None:
    url, _, _ = file_server  # serves an empty folder: 404 for every file
    with pytest.raises(DownloadError, match=r"answered 404 \(File not found\)"):
        mnist(tmp_path / "cache", mirror=url, progress=False)
    assert _leftovers(tmp_path / "cache") == []


def test_the_next_mirror_is_tried_when_one_fails(
    tmp_path: Path,
    file_server: tuple[str, Path, list[str]],
    closed_port: str,
    mnist_files: Callable[..., dict[str, Path]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, served, _ = file_server
    _serve(served, mnist_files, monkeypatch)
    monkeypatch.setattr(nn.data, "MNIST_MIRRORS", (closed_port, url.rstrip("/")))
    split = mnist(tmp_path / "cache", progress=False)
    assert len(split.X_train) == len(split.y_train) > 0


@pytest.fixture
def broken_server(tmp_path: Path) -> Iterator[str]:
    """A server that promises 1,000 bytes and sends 10, then hangs up."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"0123456789")

        def log_message(self, format: str, *args: object) -> None:
            del format, args

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_download_that_breaks_off_leaves_nothing(
    tmp_path: Path, broken_server: str
) -> None:
    with pytest.raises(DownloadError, match="broke off after 10 of 1,000 bytes"):
        mnist(tmp_path / "cache", mirror=broken_server, progress=False)
    assert _leftovers(tmp_path / "cache") == []


def test_the_progress_bar_without_tqdm_is_a_percentage(
    tmp_path: Path,
    file_server: tuple[str, Path, list[str]],
    mnist_files: Callable[..., dict[str, Path]],
    monkeypatch: pytest.MonkeyPatch,
    block_imports: Callable[..., None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, served, _ = file_server
    _serve(served, mnist_files, monkeypatch)
    block_imports("tqdm")
    mnist(tmp_path / "cache", mirror=url, progress=True)
    err = capsys.readouterr().err
    assert "train-images-idx3-ubyte.gz: 100%" in err


def test_the_cache_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mnist_files: Callable[..., dict[str, Path]],
) -> None:
    monkeypatch.delenv("CHAINRULE_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert (
        nn.data.mnist_folder() == tmp_path / "home" / ".cache" / "chainrule" / "mnist"
    )
    monkeypatch.setenv("CHAINRULE_DATA", str(tmp_path / "data"))
    assert nn.data.mnist_folder() == tmp_path / "data"
    mnist_files(tmp_path / "data")
    assert len(mnist(download=False).X_test) > 0  # read from $CHAINRULE_DATA


def test_a_file_given_as_the_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("not a folder")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        mnist(path)


def test_download_writes_atomically_with_a_checked_checksum(
    tmp_path: Path, file_server: tuple[str, Path, list[str]]
) -> None:
    url, served, _ = file_server
    payload = gzip.compress(b"hello", mtime=0)
    (served / "x.gz").write_bytes(payload)
    target = tmp_path / "out" / "x.gz"
    md5 = hashlib.md5(payload).hexdigest()
    assert nn.download.download(url + "x.gz", target, md5=md5, progress=False) == target
    assert target.read_bytes() == payload
    with pytest.raises(ChecksumError):
        nn.download.download(
            url + "x.gz", tmp_path / "y.gz", md5="0" * 32, progress=False
        )
    assert not (tmp_path / "y.gz").exists()
    assert [p.name for p in tmp_path.glob(".*.part")] == []


# --- headers that promise too much, files that hold too much ------------------------


def _gzip_of(parts: Iterator[bytes]) -> bytes:
    """A gzip file made chunk by chunk (a bomb need not fit in memory twice)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
    return b"".join(packer.compress(p) for p in parts) + packer.flush()


def test_a_gzip_bomb_with_a_modest_header_is_refused_after_a_little_reading(
    tmp_path: Path, mnist_files: Callable[..., dict[str, Path]]
) -> None:
    path = mnist_files(gz=True)[TEST_IMAGES]
    raw = gzip.decompress(path.read_bytes())
    zeros = bytes(1 << 24)
    path.write_bytes(_gzip_of(iter([raw, *[zeros] * 12])))  # 200 MB more, unzipped
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValueError, match="over 1,048,576 bytes more") as caught:
            mnist(path.parent, download=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(path) in str(caught.value)
    assert time.perf_counter() - started < 5
    assert peak < 60_000_000  # the small files themselves, not the 200 MB


@pytest.mark.parametrize(
    ("sizes", "words"),
    [
        ((4_000_000, 28, 28), "promises 4000000 × 28 × 28 numbers, beyond"),
        ((2**32 - 1, 2**32 - 1, 2**32 - 1), "beyond what an MNIST-like file holds"),
        ((60_000, 65_536, 65_536), "beyond what an MNIST-like file holds"),
    ],
)
def test_a_header_beyond_mnist_like_sizes_is_refused_before_reading_on(
    tmp_path: Path,
    mnist_files: Callable[..., dict[str, Path]],
    sizes: tuple[int, ...],
    words: str,
) -> None:
    path = mnist_files(gz=True)[TRAIN_IMAGES]
    header = struct.pack(">IIII", 0x803, *sizes)
    path.write_bytes(gzip.compress(header + bytes(1000), mtime=0))
    with pytest.raises(ValueError, match=words) as caught:
        mnist(path.parent, download=False)
    assert str(path) in str(caught.value)


def test_files_of_zero_images_and_labels_are_refused_by_name(
    tmp_path: Path, mnist_arrays: Arrays, idx: Callable[..., bytes]
) -> None:
    empty = (np.zeros((0, 28, 28)), np.zeros(0), *mnist_arrays[2:])
    for name, array in zip(NAMES, empty):
        (tmp_path / name).write_bytes(idx(array))
    with pytest.raises(ValueError, match="holds no images") as caught:
        mnist(tmp_path, download=False)
    assert str(tmp_path / TRAIN_IMAGES) in str(caught.value)


def test_a_home_folder_of_a_user_who_does_not_exist_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ValueError, match="no user 'nosuchuser'") as caught:
        mnist("~nosuchuser/mnist", download=False)
    assert "~nosuchuser/mnist" in str(caught.value)
    monkeypatch.setenv("CHAINRULE_DATA", "~nosuchuser/mnist")
    with pytest.raises(ValueError, match=r"\$CHAINRULE_DATA.*no user 'nosuchuser'"):
        mnist(download=False)
