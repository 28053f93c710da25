"""The services app's reads, one module per area."""
