"""Pages of the services app, one module per page family."""
