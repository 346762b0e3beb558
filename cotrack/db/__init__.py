"""Database plumbing: connections and transactions, column types, guards, counters."""
