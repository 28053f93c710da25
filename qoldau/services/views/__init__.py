"""Pages of social services, one module per area; each keeps its routes beside its views
(`qoldau.services.urls` joins them)."""
