"""MkDocs names outside its documented plugin API, all in gazette/build/mkdocs_internals.py: this test fails
loudly, naming the MkDocs version and the name, when MkDocs changes one of them."""

from __future__ import annotations

import mkdocs

from gazette.build import mkdocs_internals


def test_the_private_mkdocs_names_are_as_expected():
    problems = mkdocs_internals.problems()
    assert problems == [], (
        f"MkDocs {mkdocs.__version__} changed what gazette/build/mkdocs_internals.py relies on:\n  "
        + "\n  ".join(problems))


def test_the_parallel_path_names_no_other_private_mkdocs_name():
    """Every other module reaches MkDocs' private names only through mkdocs_internals."""
    import re
    from pathlib import Path

    own = Path(mkdocs_internals.__file__)
    for path in own.parent.parent.rglob("*.py"):
        if path == own:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"mkdocs\.commands\.build|_build_page|_populate_page|_build_theme_template|"
                             r"config\._current_page|_RelativePathTreeprocessor", text), path
