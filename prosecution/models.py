"""Models of the Community Prosecution Unit."""
