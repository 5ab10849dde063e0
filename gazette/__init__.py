"""Publishing system for Chinese government gazettes and disclosure columns.

Data flows in one direction, one subpackage per stage or feature:

    content/     front matter → validated records (frontmatter, fields, records)
    model/       records → catalog → generated views (the pages the catalog adds)
    safety/      rules for front matter and page bodies (sanitizer, links, personal data, spam)
    disclosure/  the 政府信息公开 rules and annual reports, contributed to the catalog's views
    search/      the word index, from rendered pages
    qr/          short addresses, codes and notice-board sheets
    build/       the MkDocs glue: options, the plugin (event dispatch), workers, publishing

`validation.check_site` is the one entry to the checks, used by the build and `gazette check`.
"""

import os

__version__ = "0.1.0"

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(PACKAGE_DIR, "data")
THEME_DIR = os.path.join(PACKAGE_DIR, "theme")
