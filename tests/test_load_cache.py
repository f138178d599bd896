"""The compiled-policy cache: a second load skips parsing and checking, and never goes stale.

Entries are keyed by the policy file's content, its path, the source documents beside it and
the library's own code; a torn or foreign entry is ignored and rewritten.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy.policy import loader
from socialpolicy.policy.loader import BUNDLED, compile_file


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SOCIALPOLICY_CACHE_DIR", str(folder))
    monkeypatch.delenv("SOCIALPOLICY_CACHE", raising=False)
    return folder


@pytest.fixture
def custom(tmp_path: Path) -> Path:
    """A copy of a bundled policy and its sources, free to edit."""
    folder = tmp_path / "policy"
    folder.mkdir()
    shutil.copy(BUNDLED / "mhra.yaml", folder / "mhra.yaml")
    shutil.copytree(BUNDLED / "sources", folder / "sources")
    return folder / "mhra.yaml"


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    real = loader._compile_path

    def counting(path: Path) -> loader.CompiledPolicy:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(loader, "_compile_path", counting)
    return calls


def test_second_load_comes_from_the_cache(cache: Path, custom: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_compiles(monkeypatch)
    first = compile_file(custom)
    second = compile_file(custom)
    assert len(calls) == 1 and len(list(cache.glob("*.pickle"))) == 1
    assert second.document == first.document and second.ir == first.ir
    assert sp.load_policy(custom).digest == first.document.digest


def test_an_edit_to_the_policy_or_its_source_is_a_new_entry(
        cache: Path, custom: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_compiles(monkeypatch)
    before = compile_file(custom)
    custom.write_text(custom.read_text(encoding="utf-8").replace(
        before.document.version, before.document.version + "-edited", 1), encoding="utf-8")
    assert compile_file(custom).document.version == before.document.version + "-edited"
    source = custom.parent / "sources" / str(before.document.source_file)
    source.write_text(source.read_text(encoding="utf-8") + "\nappendix\n", encoding="utf-8")
    compile_file(custom)
    assert len(calls) == 3


def test_a_broken_source_is_never_served_from_the_cache(cache: Path, custom: Path) -> None:
    document = compile_file(custom).document
    source = custom.parent / "sources" / str(document.source_file)
    source.write_text("nothing of the original\n", encoding="utf-8")
    with pytest.raises(sp.PolicyError, match="not-verbatim"):
        compile_file(custom)


def test_a_corrupt_entry_is_ignored_and_rewritten(cache: Path, custom: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    good = compile_file(custom)
    [entry] = cache.glob("*.pickle")
    for junk in (b"", b"socialpolicy-compiled-1\n\x80garbage", entry.read_bytes()[:200]):
        entry.write_bytes(junk)
        assert compile_file(custom).document == good.document
    assert entry.read_bytes() != junk


def test_the_cache_can_be_switched_off(cache: Path, custom: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALPOLICY_CACHE", "off")
    calls = _count_compiles(monkeypatch)
    compile_file(custom)
    compile_file(custom)
    assert len(calls) == 2 and not cache.exists()


def test_concurrent_loaders_agree(cache: Path, custom: Path) -> None:
    results: list[str] = []
    errors: list[BaseException] = []

    def load() -> None:
        try:
            results.append(compile_file(custom).document.digest)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(results)) == 1 and len(results) == 4
    assert not list(cache.glob(".tmp-*"))


def test_an_unwritable_cache_still_loads(tmp_path: Path, custom: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("SOCIALPOLICY_CACHE_DIR", str(blocker / "cache"))
    assert compile_file(custom).document.id == "mhra"


def test_every_public_name_is_lazy_and_resolves() -> None:
    """`import socialpolicy` imports nothing heavy; each public name loads on first use."""
    import subprocess
    import sys

    code = ("import sys, socialpolicy as sp; heavy = {'pydantic', 'yaml', 'pandas', "
            "'hypothesis', 'durable', 'phonenumbers', 'holidays'}; "
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
    for name in sp.__all__:
        assert getattr(sp, name) is not None, name
