"""Endpoint groups: one module per reference group, one method per VICIdial function (same name)."""
