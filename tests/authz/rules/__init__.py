"""Per-feature rules of the authorization matrix; merged into ``tests.authz.matrix`` tables."""
