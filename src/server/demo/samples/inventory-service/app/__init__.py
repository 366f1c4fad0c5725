"""Warehouse stock levels for the storefront."""
