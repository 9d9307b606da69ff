"""Typed result models (frozen attrs, slots), one module per endpoint group."""
