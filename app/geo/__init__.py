"""Geography without a blueprint: distances, coordinate systems, place lookup, geocoding, maps."""
