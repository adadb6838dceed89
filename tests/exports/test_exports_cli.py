"""The batch export CLI: `python -m dashboard.export ...` on the test store."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest
from exports_testkit import REPO, png_dimensions

from dashboard import export


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = export.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_has_examples():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.export", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "examples:" in result.stdout and "--indicator deaths --location PSE --png" in result.stdout
    for option in ("--db", "--hxl", "--jsonl", "--datapackage", "--width", "--height", "--scale", "--source", "--from", "--to"):
        assert option in result.stdout


def test_data_exports(capsys, test_store, out_dir):
    files = {
        name: out_dir / f"out.{suffix}"
        for name, suffix in (("csv", "csv"), ("hxl", "hxl.csv"), ("jsonl", "jsonl"), ("datapackage", "zip"))
    }
    code, _, err = run(capsys, "--db", test_store, "--indicator", "deaths", "--location", "PSE",
                       *(item for name, path in files.items() for item in (f"--{name}", str(path))))  # fmt: skip
    assert code == 0, err
    csv_lines = files["csv"].read_text(encoding="utf-8").splitlines()
    assert csv_lines[0].startswith("record_id,doc,indicator,")
    assert all(",deaths," in line for line in csv_lines[1:])
    assert files["hxl"].read_text(encoding="utf-8").splitlines()[1].startswith("#meta+id,")
    records = [json.loads(line) for line in files["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(csv_lines) - 1 and {r["location_iso3"] for r in records} == {"PSE"}
    with zipfile.ZipFile(files["datapackage"]) as archive:
        assert "datapackage.json" in archive.namelist()
    assert "records selected" in err


def test_charts(capsys, test_store, out_dir, png_renderer):
    png, html = out_dir / "deaths.png", out_dir / "deaths.html"
    code, _, err = run(capsys, "--db", test_store, "--indicator", "deaths", "--location", "Palestine", "--png", str(png),
                       "--html", str(html), "--width", "600", "--height", "500", "--browser", png_renderer.browser_path)  # fmt: skip
    assert code == 0, err
    assert png_dimensions(png.read_bytes()) == (1200, 1000)
    assert "<script src=" not in html.read_text(encoding="utf-8") and "Plotly.newPlot" in html.read_text(encoding="utf-8")
    assert oct(png.stat().st_mode & 0o777) != oct(0o600)


def test_jsonl_to_stdout_with_a_date_range(capsys, test_store):
    code, out, err = run(capsys, "--db", test_store, "--from", "2024-01-01", "--to", "2024-12-31", "--jsonl", "-", "--quiet")
    assert code == 0 and err == ""
    records = [json.loads(line) for line in io.StringIO(out)]
    assert records and all("2024-01-01" <= (r["reference_date"] or r["published"]) <= "2024-12-31" for r in records)


ERRORS = [
    (["--indicator", "death", "--csv", "{out}/x.csv"], "unknown indicator 'death' (did you mean 'deaths'?)"),
    (["--indicator", "deaths", "--from", "2024-13-45", "--csv", "{out}/x.csv"], "--from '2024-13-45' is not a date"),
    (["--indicator", "deaths", "--to", "25/05/2025", "--csv", "{out}/x.csv"], "--to '25/05/2025' is not a date"),
    (["--indicator", "deaths", "--location", "UKR", "--csv", "{out}/x.csv"], "unknown location 'UKR'"),
    (["--indicator", "deaths", "--from", "2030-01-01", "--csv", "{out}/x.csv", "--png", "{out}/x.png"], "no records match"),
    (["--indicator", "injured", "--search", "no such words anywhere", "--csv", "{out}/x.csv"], "no records match"),
    (["--location", "PSE", "--png", "{out}/x.png", "--csv", "{out}/x.csv"], "one indicator at one location"),
    (["--from", "2025-01-01", "--to", "2024-01-01", "--csv", "{out}/x.csv"], "is after --to"),
    (["--source", "Nobody", "--csv", "{out}/x.csv"], "unknown source 'Nobody'"),
    (["--indicator", "deaths"], "choose at least one output"),
    (["--indicator", "deaths", "--png", "-"], "cannot go to stdout"),
    (["--csv", "{out}/x.csv", "--hxl", "{out}/x.csv"], "would write the same file"),
    (["--csv", "{out}/missing/x.csv"], "no folder"),
]


@pytest.mark.parametrize(("args", "message"), ERRORS, ids=[message.split("(")[0][:32] for _, message in ERRORS])
def test_errors_exit_1_and_write_nothing(capsys, test_store, out_dir, args, message):
    code, out, err = run(capsys, "--db", test_store, *(arg.replace("{out}", str(out_dir)) for arg in args))
    assert code == 1
    assert message in err, err
    assert out == ""
    assert list(out_dir.iterdir()) == []


def test_a_missing_store_file_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'none.sqlite'}", "--csv", str(tmp_path / "x.csv"))
    assert code == 1 and "No store at" in err
    assert not (tmp_path / "x.csv").exists()


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as stopped:
        export.main(["--width", "wide"])
    assert stopped.value.code == 2


def test_without_db_the_default_store_is_built(capsys, tmp_path, monkeypatch):
    """No --db: DATABASE_URL, else data/store.sqlite, built from data/corpus/ when missing (here in tmp)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'default.sqlite'}")
    code, _, err = run(capsys, "--indicator", "displaced", "--location", "SDN", "--csv", str(tmp_path / "sudan.csv"))
    assert code == 0, err
    assert (tmp_path / "default.sqlite").exists()
    assert len((tmp_path / "sudan.csv").read_text(encoding="utf-8").splitlines()) > 2


def test_exports_follow_the_reviewers(capsys, test_store, tmp_path):
    """Corrections replace the extracted values, rejected figures are left out, --reviewed-only keeps the reviewed."""
    import shutil

    from store import create_store_engine, current_records, review_record

    copy = tmp_path / "reviewed.sqlite"
    shutil.copy(test_store.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    engine = create_store_engine(url)
    ids = current_records(engine)["record_id"].tolist()
    corrected, rejected, accepted = ids[:3]
    review_record(engine, corrected, "correct", "tester", changes={"value": 12345, "low": 12345, "high": 12345})
    review_record(engine, rejected, "reject", "tester", note="a confounder")
    review_record(engine, accepted, "accept", "tester")
    engine.dispose()

    code, out, err = run(capsys, "--db", url, "--jsonl", "-", "--quiet", "--parts")  # every record, parts too
    assert code == 0, err
    exported = {row["record_id"]: row for row in map(json.loads, io.StringIO(out))}
    assert rejected not in exported and len(exported) == len(ids) - 1
    assert exported[corrected]["value"] == 12345 and exported[corrected]["review_status"] == "corrected"

    code, out, err = run(capsys, "--db", url, "--jsonl", "-", "--quiet", "--reviewed-only", "--parts")
    assert code == 0, err
    assert {json.loads(line)["record_id"] for line in io.StringIO(out)} == {corrected, accepted}


def test_exports_keep_headline_figures_unless_parts(capsys, test_store):
    """As the dashboard: headline figures by default, --parts for every record, --status for projections only."""
    from store import create_store_engine, current_records

    engine = create_store_engine(test_store)
    stored = current_records(engine)
    engine.dispose()
    counts = {}
    for name, options in {"default": [], "parts": ["--parts"], "projected": ["--parts", "--status", "projected"]}.items():
        code, out, err = run(capsys, "--db", test_store, "--jsonl", "-", "--quiet", *options)
        assert code == 0, err
        rows = [json.loads(line) for line in io.StringIO(out)]
        counts[name] = len(rows)
        if name == "projected":
            assert {row["status"] for row in rows} == {"projected"}
    assert counts["parts"] == len(stored) > counts["default"] > 0 and 0 < counts["projected"] < counts["parts"]
