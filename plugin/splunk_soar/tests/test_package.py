"""The installable app archive, built with the SDK's ``soarapps package build``.

Built through scripts/package_build.py (wheel cache, retrying downloads, and
the operation documents added); the archive must hold the manifest, the code,
the ``.graphql`` documents and the dependency wheels SOAR installs from.
"""

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from src.operations import fragment_names, operation_names
from tests.runner import APP_DIR

pytestmark = pytest.mark.package


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tarfile.TarFile:
    out = tmp_path_factory.mktemp("package") / "trailhound.tgz"
    proc = subprocess.run(
        [sys.executable, "scripts/package_build.py", "-o", str(out)],
        cwd=APP_DIR,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tarfile.open(out, "r:gz")


def test_archive_holds_manifest_code_and_operations(archive: tarfile.TarFile) -> None:
    names = set(archive.getnames())
    assert "trailhound/manifest.json" in names
    assert "trailhound/src/app.py" in names
    assert "trailhound/README.md" in names
    for op in operation_names():
        assert f"trailhound/src/operations/{op}.graphql" in names
    for fragment in fragment_names():
        assert f"trailhound/src/fragments/{fragment}.graphql" in names


def test_manifest_declares_the_actions_and_their_wheels(
    archive: tarfile.TarFile,
) -> None:
    member = archive.extractfile("trailhound/manifest.json")
    assert member is not None
    manifest = json.loads(member.read())
    assert {"get neighborhood", "get timeline"} <= {
        a["action"] for a in manifest["actions"]
    }
    wheels = {
        w["module"]: w["input_file"] for w in manifest["pip313_dependencies"]["wheel"]
    }
    assert {"httpx", "pydantic"} <= set(wheels)
    names = set(archive.getnames())
    for path in wheels.values():
        assert f"trailhound/{path}" in names, path


def test_no_development_files_are_shipped(archive: tarfile.TarFile) -> None:
    shipped = [Path(n) for n in archive.getnames()]
    assert not [
        p for p in shipped if p.parts[1:2] in (("tests",), ("scripts",), (".venv",))
    ]
