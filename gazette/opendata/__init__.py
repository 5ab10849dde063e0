"""Open data: what a machine reads of the site besides its pages (feeds, JSON, crawler files)."""
