"""Security tests: one per new route or fixed hole."""
