"""The money book: every movement of buyers' money, in balanced double entries."""
