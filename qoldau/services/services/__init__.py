"""The services app's writes, one module per area."""
