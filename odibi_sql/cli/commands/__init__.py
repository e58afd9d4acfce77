"""One module per CLI command; each stays thin and calls into the core."""
