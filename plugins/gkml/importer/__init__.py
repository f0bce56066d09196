"""`gkml import`: turn another platform's export (one row per item, .xlsx or .csv) into item files.

    mapping.py  the mapping file (spreadsheet header -> gkml field, 栏目 names, defaults), read and checked
    sheet.py    reading .xlsx/.csv/.tsv into rows, and cleaning dirty cells (merged cells, dates, spaces …)
    rows.py     one row -> the item file it would become (fields, body, attachments, match key, 迁移 record)
    publishers.py  who published a row: the issuers registry, junk values, issuers named in titles
    changes.py  every change cleaning makes, counted by kind for the import report
    run.py      matching existing items, 索引号 allocation, staging, validation with the real validator, writing

A row is imported exactly when the item file it would become passes the same validation as
`gkml check`; the others are reported with their row number and written nowhere.
"""
from __future__ import annotations

from .mapping import Mapping, MappingError, load_mapping
from .run import ImportResult, run_import
from .sheet import SheetError, read_sheet

__all__ = ["Mapping", "MappingError", "load_mapping", "ImportResult", "run_import", "SheetError", "read_sheet"]
