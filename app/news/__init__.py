"""The news center: categories, articles and the places they mention."""
