"""`gazette import`: documents held as Word, PDF, old web pages or copied text, made into items.

The path is one way: a reader turns a source file into located lines (`source`), page chrome is
dropped and what the safety checks refuse is held back (`clean`), a source holding several
documents is split by their titles (`split`), each document's fields are recognised from its
text, never invented (`recognise`), an annual report's tables become its data file
(`report_tables`), and the files are written without overwriting an editor's changes (`write`).
"""
