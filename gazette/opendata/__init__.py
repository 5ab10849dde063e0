"""Open data: every document as JSON, paged JSON lists of the catalog, and their JSON Schemas."""
