from __future__ import annotations

from pathlib import Path

import pytest

from trailhound.config import Secret, Settings
from trailhound.errors import ConfigError


def test_defaults_without_file_or_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.load(env={"HOME": str(tmp_path)})
    assert settings.elasticsearch.url is None
    assert settings.local_node.heap == "1g"
    assert settings.ingest.namespace == "default"
    assert settings.analytics.baseline_days == 45


def test_toml_then_env_override(tmp_path: Path) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text(
        '[elasticsearch]\nurl = "http://es:9200"\napi_key = "k1"\n'
        '[local_node]\nport = 9333\n[analytics]\nthreat_intel_feeds = ["a.txt", "b.json"]\n'
    )
    env = {
        "TRAILHOUND_LOCAL_NODE_PORT": "9444",
        "ELASTICSEARCH_API_KEY": "k2",
        "TRAILHOUND_ELASTICSEARCH_VERIFY_CERTS": "false",
    }
    settings = Settings.load(cfg, env=env)
    assert settings.elasticsearch.url == "http://es:9200"
    assert settings.elasticsearch.api_key == Secret("k2")
    assert settings.elasticsearch.verify_certs is False
    assert settings.local_node.port == 9444
    assert settings.analytics.threat_intel_feeds == (Path("a.txt"), Path("b.json"))


def test_secret_never_shows_itself() -> None:
    assert "hunter2" not in repr(Secret("hunter2"))
    assert "hunter2" not in str(Settings.load(env={"ELASTICSEARCH_PASSWORD": "hunter2"}))


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text("[ingest]\nchunk = 5\n")
    with pytest.raises(ConfigError, match=r"unknown key\(s\) in \[ingest\]: chunk"):
        Settings.load(cfg, env={})


def test_bad_value_names_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[local_node\] port='many'"):
        Settings.load(env={"TRAILHOUND_LOCAL_NODE_PORT": "many"})


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        Settings.load(tmp_path / "nope.toml", env={})


def test_invalid_toml(tmp_path: Path) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text("[ingest\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        Settings.load(cfg, env={})
