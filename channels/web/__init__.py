"""The web chat page and its JSON endpoint."""
