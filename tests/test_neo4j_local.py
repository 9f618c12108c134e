"""The local Neo4j of tools/neo4j_local.py: two processes that start one at the same time
(`make test` runs two workers, each starting its own) both get a built launcher."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.settings import REPO_ROOT
from tools import neo4j_local

BUILD = """\
import sys
from pathlib import Path
from tools import neo4j_local
print(neo4j_local.build(Path(sys.argv[1])))
"""


@pytest.mark.system
def test_two_processes_building_the_launcher_at_once_both_get_it(tmp_path: Path) -> None:
    if shutil.which("java") is None or shutil.which("mvn") is None:
        pytest.skip("no local Neo4j: java and mvn are needed")
    project = tmp_path / "neo4j-local"
    project.mkdir()
    shutil.copy(neo4j_local.PROJECT / "pom.xml", project)
    shutil.copytree(neo4j_local.PROJECT / "src", project / "src")
    # Without the build lock, one of two Maven runs into the same target fails: in the
    # first fresh-clone run on two workers (2026-12-04), and in two of four runs of this
    # test with the lock taken out.
    builds = [
        subprocess.Popen(
            [sys.executable, "-c", BUILD, str(project)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for build in builds:
        out, err = build.communicate(timeout=600)
        assert build.returncode == 0, err
        assert out.startswith(str(project / "target" / "classes")), out
