"""The built wheel, installed outside the checkout, finds and decides with every bundled policy.

The wheel is built offline (no build isolation) and installed with `--no-deps` into a fresh
venv that borrows this environment's dependencies through a path file, so the test needs no
network and does not see the editable install.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import socialpolicy as sp

ROOT = Path(__file__).parent.parent

SUBJECTS: list[dict[str, object]] = [
    {"kind": "comment", "platform": "facebook", "text": "Thanks", "author": "@a",
     "posted_at": "2026-03-04T10:00:00+00:00"},
    {"kind": "staff_post", "platform": "x", "text": "Lovely day",
     "posted_at": "2026-03-04T10:00:00+00:00", "account": {"handle": "@jo"}},
    {"kind": "account_request", "platform": "x", "purpose": "department"},
]

SCRIPT = """
import json, sys
import socialpolicy as sp
from socialpolicy.analysis.coverage import DEFAULT_CASES
subjects = json.loads(sys.argv[1])
out = {"file": sp.__file__, "cases": sorted(p.name for p in DEFAULT_CASES.glob("*.yaml")),
       "decisions": {}}
for pid in sp.available_policies():
    policy = sp.load_policy(pid)
    out["decisions"][pid] = [str(policy.decide(s).outcome) for s in subjects]
print(json.dumps(out))
"""


def _fresh_venv(where: Path) -> Path:
    venv.create(where, with_pip=False)  # this environment's pip installs into it
    python = where / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path("
                              "'purelib'))"], capture_output=True, text=True, check=True)
    # Borrow this environment's dependencies, but not its editable install of socialpolicy:
    # a path file adds the directory without running the .pth files inside it.
    ours = [p for p in site.getsitepackages() if Path(p).is_dir()]
    Path(purelib.stdout.strip(), "borrowed.pth").write_text("\n".join(ours) + "\n")
    return python


@pytest.mark.skipif(sys.platform == "win32", reason="venv layout differs on Windows")
def test_the_installed_wheel_decides_with_every_bundled_policy(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, capture_output=True)
    (wheel,) = dist.glob("socialpolicy-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for pid in sp.available_policies():
        assert f"socialpolicy/policies/{pid}.yaml" in names
        assert f"socialpolicy/policies/sources/{pid}.txt" in names
        assert f"socialpolicy/policies/cases/{pid}.yaml" in names

    python = _fresh_venv(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # only the wheel
    run = subprocess.run([str(python), "-c", SCRIPT, json.dumps(SUBJECTS)], cwd=elsewhere,
                         capture_output=True, text=True, check=False, env=env)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert str(ROOT) not in found["file"] and "site-packages" in found["file"]
    assert found["cases"] == [f"{pid}.yaml" for pid in sp.available_policies()]
    assert sorted(found["decisions"]) == sp.available_policies()
    for pid, outcomes in found["decisions"].items():
        checkout = sp.load_policy(pid)
        assert outcomes == [str(checkout.decide(s).outcome) for s in SUBJECTS], pid

