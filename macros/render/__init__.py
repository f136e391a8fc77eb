"""Render: pure functions from the model to Markdown or HTML strings. No MkDocs here."""
