"""Seller ratings: the buyer of a completed order rates its seller once; the seller may reply."""
