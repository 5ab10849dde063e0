"""MkDocs names outside its documented plugin API, all in gazette/mkdocs_internals.py: this test fails
loudly, naming the MkDocs version and the name, when MkDocs changes one of them."""

from __future__ import annotations

import mkdocs

from gazette import mkdocs_internals


def test_the_private_mkdocs_names_are_as_expected():
    problems = mkdocs_internals.problems()
    assert problems == [], (
        f"MkDocs {mkdocs.__version__} changed what gazette/mkdocs_internals.py relies on:\n  "
        + "\n  ".join(problems))


def test_the_parallel_path_names_no_other_private_mkdocs_name():
    """plugin.py and pagepool.py reach MkDocs' private names only through mkdocs_internals."""
    import re
    from pathlib import Path

    root = Path(mkdocs_internals.__file__).parent
    for name in ("plugin.py", "pagepool.py", "forkpool.py"):
        text = (root / name).read_text(encoding="utf-8")
        assert not re.search(r"mkdocs\.commands\.build|_build_page|_populate_page|_build_theme_template|"
                             r"config\._current_page|_RelativePathTreeprocessor", text), name
