"""Industrial parks, development zones and 特色小镇: a map, a list and a page per park."""
