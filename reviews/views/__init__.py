"""The review's pages, a module per tab (`reviews.pages` holds what they stand on)."""
