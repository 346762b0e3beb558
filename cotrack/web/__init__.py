"""Web plumbing: the request path, errors, security headers, pagination, forms glue."""
