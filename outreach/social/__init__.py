"""Social publishing: per-channel validation and the platform clients."""
