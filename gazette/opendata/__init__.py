"""Machine-readable outputs of the site: page metadata, linked data, feeds and open data files."""
