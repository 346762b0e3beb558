"""Every write: takes the acting user, checks the rules, flushes; never commits."""
