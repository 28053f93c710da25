"""The services app's pages, one module per area."""
