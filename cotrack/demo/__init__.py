"""Demo data: DOMAIN.md's example partners, their accounts and ventures with a history."""
