"""Models of the Justice, Training & Integrity Unit."""
