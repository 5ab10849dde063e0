"""Publishing system for Chinese government gazettes and disclosure columns.

Data flows in one direction, one module per stage:
front matter (`frontmatter`) → validated records (`records`) → catalog
(`catalog`) → generated pages (`views`) → rendered HTML (MkDocs, driven by
`plugin`).
"""

__version__ = "0.1.0"
