"""A venture's revenue: agreements, the ledger, recording, reversing, importing; reports."""

from flask import Blueprint

from cotrack.finance import agreements, imports, jobs, picker, reports, statements, views

bp = Blueprint("finance", __name__)
bp.before_request(views.signed_in)

# views.py
bp.add_url_rule("/ventures/<id:venture_id>/revenue",
                 view_func=views.revenue, methods=["GET", "POST"])
bp.add_url_rule("/ventures/<id:venture_id>/revenue/<id:entry_id>/reverse",
                 view_func=views.reverse, methods=["GET", "POST"])

# imports.py
bp.add_url_rule("/ventures/<id:venture_id>/revenue/import",
                 view_func=imports.import_revenue, methods=["GET", "POST"])
bp.add_url_rule("/ventures/<id:venture_id>/revenue/import/template.<any(csv, xlsx):fmt>",
                 view_func=imports.import_template)
bp.add_url_rule("/ventures/<id:venture_id>/revenue/import/<token>",
                 view_func=imports.import_preview, methods=["GET", "POST"])

# jobs.py
bp.add_url_rule("/jobs/<id:job_id>", view_func=jobs.job)
bp.add_url_rule("/jobs/<id:job_id>/progress", view_func=jobs.job_progress)
bp.add_url_rule("/jobs/<id:job_id>/file", view_func=jobs.job_file)

# statements.py
bp.add_url_rule("/ventures/<id:venture_id>/revenue/statements",
                 view_func=statements.statements, methods=["GET", "POST"])
bp.add_url_rule("/ventures/<id:venture_id>/revenue/statements/<id:statement_id>",
                 view_func=statements.download_statement)

# agreements.py
bp.add_url_rule("/ventures/<id:venture_id>/agreements",
                 view_func=agreements.agreements, methods=["GET", "POST"])
bp.add_url_rule("/ventures/<id:venture_id>/agreements/<id:agreement_id>/approve",
                 view_func=agreements.approve_agreement, methods=["POST"])
bp.add_url_rule("/ventures/<id:venture_id>/agreements/<id:agreement_id>/reject",
                 view_func=agreements.reject_agreement, methods=["POST"])

# reports.py
bp.add_url_rule("/reports", view_func=reports.reports)
bp.add_url_rule("/reports/ledger", view_func=reports.report_ledger)
bp.add_url_rule("/reports/ventures", view_func=picker.venture_names)
bp.add_url_rule("/reports/export", view_func=reports.export)
bp.add_url_rule("/reports/export-job", view_func=reports.export_job, methods=["POST"])
