"""Start-up loads only what a command uses: the command line's module tree leaves the
pipeline's libraries (MinHash, spaCy, scipy) for the commands that run the pipeline, and the
package's public names load on first use."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(done.stdout.split())


def test_the_command_line_loads_no_pipeline_library() -> None:
    loaded = loaded_after("import dyadwatch.cli")
    for heavy in ("datasketch", "spacy", "scipy", "dyadwatch.pipeline", "dyadwatch.dedupe"):
        assert heavy not in loaded, heavy


def test_public_names_load_on_first_use() -> None:
    assert "dyadwatch.pipeline" not in loaded_after("import dyadwatch")
    assert "dyadwatch.pipeline" in loaded_after("import dyadwatch\ndyadwatch.run")
    assert "dyadwatch.store" in loaded_after("from dyadwatch import Store")
