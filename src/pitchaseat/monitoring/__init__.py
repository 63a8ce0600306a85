"""What /readyz and /metrics read from the running site: its dependencies' answers and the
marketplace's own figures, counted from every domain's tables (so this sits above the
domains; ops/ keeps the generic plumbing below them)."""
