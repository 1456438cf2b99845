"""The agents' area: their buildings, units, photos, inquiries and reports; bulk import."""
