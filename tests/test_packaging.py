"""`pip install .` into a fresh virtual environment gives working console scripts (hid-extract,
hid-store, hid-dashboard) that run from outside the checkout.

No download: the new environment sees the project environment's packages through a .pth file,
and pip builds the project with that environment's setuptools (--no-build-isolation)."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "extractors", "store", "dashboard")
REPORT = "Floods killed 12 people in Derna on 3 May 2025, the health ministry said.\n"


def _run(command: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "DATABASE_URL")}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the project installed (not editable) from a copy of the checkout; its bin/."""
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"  # a copy: the build writes build/ and *.egg-info beside the sources
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    environment = root / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    (purelib,) = (environment / "lib").glob("python*/site-packages")
    (purelib / "project-venv.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    python = environment / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    done = _run([*pip, "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", str(source)], root, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return environment / "bin"


def test_the_installed_packages_are_the_copies_in_the_new_environment(installed: Path, tmp_path: Path) -> None:
    code = "import json, extractors, store, dashboard; print(json.dumps([m.__file__ for m in (extractors, store, dashboard)]))"
    done = _run([str(installed / "python"), "-c", code], tmp_path)
    assert done.returncode == 0, done.stderr
    for path in json.loads(done.stdout):
        assert Path(path).is_relative_to(installed.parent) and not Path(path).is_relative_to(REPO), path


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        pytest.param("hid-extract", "python -m extractors extract", id="hid-extract"),
        pytest.param("hid-store", "python -m store ingest", id="hid-store"),
        pytest.param("hid-dashboard", "python -m dashboard.serve", id="hid-dashboard"),
    ],
)
def test_console_scripts_show_their_help(installed: Path, tmp_path: Path, script: str, expected: str) -> None:
    done = _run([str(installed / script), "--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_hid_extract_reads_a_report(installed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The vocabularies (extractors/data/*.toml) were installed with the code: the same records as the checkout's."""
    from extractors import extract_file

    (tmp_path / "report.txt").write_text(REPORT)
    done = _run([str(installed / "hid-extract"), "extract", "report.txt"], tmp_path)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(record["indicator"], record["value"]) for record in records] == [("deaths", 12.0)]
    monkeypatch.chdir(tmp_path)
    assert records == json.loads(json.dumps([record.to_dict() for record in extract_file("report.txt")]))


def test_hid_store_keeps_the_default_store_in_the_working_directory(installed: Path, tmp_path: Path) -> None:
    """Installed, there is no checkout: data/store.sqlite is the working directory's, not site-packages'."""
    (tmp_path / "data").mkdir()
    done = _run([str(installed / "hid-store"), "migrate"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "store.sqlite").is_file()
    assert not list(installed.parent.glob("lib/python*/site-packages/data"))


def test_every_dashboard_module_is_installed(installed: Path, tmp_path: Path) -> None:
    """The layers are subpackages (model, charts, exports, ui) and views/ is a folder of page scripts: all of them ship."""
    code = (
        "import dashboard, pathlib; root = pathlib.Path(dashboard.__file__).parent; "
        "print('\\n'.join(sorted(p.relative_to(root).as_posix() for p in root.rglob('*.py'))))"
    )
    done = _run([str(installed / "python"), "-c", code], tmp_path)
    assert done.returncode == 0, done.stderr
    here = sorted(path.relative_to(REPO / "dashboard").as_posix() for path in (REPO / "dashboard").rglob("*.py"))
    assert done.stdout.split() == here
