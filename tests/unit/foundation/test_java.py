from __future__ import annotations

from pathlib import Path

import pytest

from trailhound.errors import JavaNotFoundError
from trailhound.es import java


def _fake_jdk(root: Path, name: str, version: str) -> Path:
    home = root / name
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").write_text("#!/bin/sh\n")
    (home / "release").write_text(f'JAVA_VERSION="{version}"\n')
    return home


def test_newest_suitable_jdk_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_jdk(tmp_path, "jdk11", "11.0.2")
    _fake_jdk(tmp_path, "jdk21", "21.0.1")
    _fake_jdk(tmp_path, "jdk17", "17.0.9")
    monkeypatch.setattr(java, "_JVM_ROOT", tmp_path)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("ES_JAVA_HOME", raising=False)
    runtime = java.find_java(17)
    assert (runtime.home.name, runtime.major) == ("jdk21", 21)


def test_configured_home_must_be_new_enough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _fake_jdk(tmp_path, "jdk11", "11.0.2")
    monkeypatch.setattr(java, "_JVM_ROOT", tmp_path / "none")
    with pytest.raises(JavaNotFoundError, match=r"configured java_home .*jdk11.* Java >= 17"):
        java.find_java(17, old)


def test_nothing_suitable_lists_what_was_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_jdk(tmp_path, "jdk8", "1.8.0_392")
    monkeypatch.setattr(java, "_JVM_ROOT", tmp_path)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("ES_JAVA_HOME", raising=False)
    monkeypatch.setattr(java, "_candidates", lambda configured: [(tmp_path / "jdk8", "x")])
    with pytest.raises(JavaNotFoundError, match=r"no Java >= 17 found .*jdk8 \(1\)"):
        java.find_java(17)
