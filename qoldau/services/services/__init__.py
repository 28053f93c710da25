"""The writes of the services app, one module per area. Each public service opens its own
durable transaction (CONTRIBUTING.md, "Where code goes")."""
