"""Incident runbooks: playbook schema, step engine, automated actions, regulatory clocks (next)."""
