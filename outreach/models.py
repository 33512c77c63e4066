"""Models of the Community Outreach & Media Relations Unit."""
