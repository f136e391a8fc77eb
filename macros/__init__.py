"""The handbook's Python: load and validate data/, derive statuses, render pages.

Plain Python, no engine: the engines' glue (MkDocs hooks, the mkdocs-macros adapter, the page worker, the Zensical
adapter) is in macros/engines/, which nothing else here imports.
"""
