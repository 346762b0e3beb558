"""Revenue reports: filters, ledger and summary queries, CSV/XLSX writers, the chart."""
