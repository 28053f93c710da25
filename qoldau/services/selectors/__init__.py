"""The reads of the services app, one module per area."""
