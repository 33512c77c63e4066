"""Models of the Government Relations."""
