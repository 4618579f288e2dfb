"""The file formats tthc reads; light, so that the command line can name them without
importing the records (pydantic)."""

# The formats tthc reads, in the order an officer is told them, each with the suffix a file
# of it is saved under (the load stage decides a file's format from its bytes first). The
# spreadsheets (SHEET_FORMATS) are read as the national form, cell by cell; an HTML table a
# web system saved under an .xls name is read as an .xls.
FORMATS: dict[str, str] = {
    "txt": ".txt",
    "pdf": ".pdf",
    "docx": ".docx",
    "doc": ".doc",
    "rtf": ".rtf",
    "xlsx": ".xlsx",
    "xls": ".xls",
}
SHEET_FORMATS = ("xlsx", "xls")
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(FORMATS.values())
