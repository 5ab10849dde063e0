"""No input, however malformed, produces a traceback: hypothesis feeds the validation stage
random front matter (valid-looking keys with wrong types, broken YAML, binary junk, other encodings)."""

from __future__ import annotations

import datetime as dt
import os

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from gazette.content.columns import DEFAULT_COLUMNS, read_columns
from gazette.content.fields import ISSUE_FIELDS, ITEM_FIELDS
from gazette.content.records import Layout, load_site

LAYOUT = Layout("gazette", "disclosure", tuple(read_columns(DEFAULT_COLUMNS, [])))
KEYS = [n for f in ITEM_FIELDS + ISSUE_FIELDS for n in f.names] + ["publised", "发布日起", "hide", "x"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.text(max_size=40), st.text(alphabet="江临市政府〔〕[]（）号0123456789年月日-", max_size=20),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.just("2013年12月10日"), st.just("x" * 5000),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=5),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS + ["title", "file", "opens", "closes", "channels"]), inner, max_size=4)), max_leaves=12)
front_matters = st.dictionaries(st.sampled_from(KEYS), values, max_size=10)


def _dump(data) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None)
    except yaml.YAMLError:
        return "title: x\n"


junk = st.one_of(
    front_matters.map(lambda d: ("---\n" + _dump(d) + "---\n正文\n").encode("utf-8")),
    front_matters.map(lambda d: ("---\n" + _dump(d) + "---\n").encode("gb18030")),
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: ("---\n" + t + "\n---\n").encode("utf-8", "surrogatepass")),
    st.text(alphabet="-:[]{}'\"&*!|>#\n \t江a1", max_size=200).map(lambda t: ("---\n" + t).encode()),
)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 250)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(issue=junk, item=junk, other=junk)
def test_any_input_gives_messages_never_exceptions(tmp_path_factory, issue, item, other):
    docs = tmp_path_factory.mktemp("docs")
    files = {"gazette/2023/05/index.md": issue, "gazette/2023/05/a.md": item, "disclosure/statutory/normative/b.md": other}
    for rel, content in files.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    records, report = load_site(str(docs), "docs", LAYOUT)  # must not raise
    for d in report.items:
        assert d.path.startswith("docs/") and d.line >= 1 and d.message
        assert "Traceback" not in d.message
    # Whatever was accepted is complete enough to publish.
    for rec in records.items:
        assert rec.title and rec.issuer and isinstance(rec.published, dt.date)
