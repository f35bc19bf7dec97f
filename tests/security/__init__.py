"""Security tests: one per route or fixed hole (row checks, forged posts, CSRF, masking)."""
