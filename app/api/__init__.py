"""The JSON API (GeoJSON for map data)."""
