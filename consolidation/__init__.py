"""The district: consolidate (records → one DistrictSummary) → render (summary → workbook,
CSVs, draft notice).

`consolidate/` computes every district figure once; `render/` writes the outputs and computes
nothing; `texts` holds the Vietnamese words and formatters both use (labels from
rules/render_labels.toml, unit and period names, numbers written the Vietnamese way).
"""
