"""One reader per kind of source file; each turns a file into a `Source` of located lines."""
