"""Developer tools of the repository: not part of the installed package.

Each is a script run from the repository root with the package installed
(`pip install -e .`, plus `.[dev]` for the search evaluation):

    python tools/corpus.py --items 2000 --out /tmp/corpus
    python tools/bench.py --items 2000
    python tools/search_eval.py --site site
    python tools/make_t2s_table.py

This file makes the folder a package so that the tests (and `python -m tools.bench`)
can import them.
"""
