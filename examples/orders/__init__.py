"""A small order service: take payment, store the order, write a receipt, ship it."""
