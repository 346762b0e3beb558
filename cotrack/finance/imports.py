"""Importing revenue in two steps: upload → preview (as it will be recorded) → confirm.

The uploaded file waits in the instance folder under a random token (import_files.keep);
the preview page reads it with the options on the page (preselected from the file's first
rows and the person's locale), writes nothing, and offers to record it. A file of more than
SYNC_ROWS rows is recorded in the background, on a page with its progress.
"""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cotrack.domain.import_formats import ImportOptions
from cotrack.domain.permissions import can_record_revenue, require
from cotrack.finance.import_forms import ConfirmForm, OptionsForm, UploadForm
from cotrack.finance.views import revenue_venture
from cotrack.services import background, revenue_import
from cotrack.services.import_files import count_rows, discard, keep, kept, sniff
from cotrack.services.import_template import template_csv, template_xlsx
from cotrack.web import deadline
from cotrack.web.forms import refused
from cotrack.web.request_path import after_commit


def _finance_venture(venture_id: int):
    venture = revenue_venture(venture_id)
    require(can_record_revenue(current_user, venture))
    return venture


def import_revenue(venture_id: int):
    """Step 1: the upload."""
    venture = _finance_venture(venture_id)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        token = keep(current_user.id, venture.id, upload.stream, upload.filename or "")
        return redirect(url_for("finance.import_preview", venture_id=venture.id, token=token),
                        303)
    return render_template("finance/import.html", venture=venture, form=form,
                           sync_rows=revenue_import.SYNC_ROWS), 422 if form.errors else 200


def _options_form(options: ImportOptions) -> OptionsForm:
    data = {**options.as_dict(),
            "delimiter": {"\t": "tab"}.get(options.delimiter, options.delimiter or "auto")}
    return OptionsForm(formdata=None, data=data)


def import_preview(venture_id: int, token: str):
    """Step 2: the file read with the page's options, nothing written; step 3: record it."""
    venture = _finance_venture(venture_id)
    found = kept(current_user.id, venture.id, token)
    if found is None:
        abort(404)
    path, meta = found
    confirm = ConfirmForm()
    with open(path, "rb") as stream:
        suggested, notes = sniff(stream, current_user.locale)
        values = request.form if request.method == "POST" else request.args
        options = ImportOptions.parse(values, suggested) if values else suggested
        if confirm.validate_on_submit():
            return _record(venture, token, stream, options)
        rows = count_rows(stream, options)
        result = revenue_import.preview(current_user, venture, stream, options,
                                        limit=revenue_import.SYNC_ROWS)
    problems = getattr(refused(), "rows", None) or result["problems"]
    form = _options_form(result["options"])
    confirm = ConfirmForm(formdata=None, data={
        **{k: v for k, v in form.data.items() if k in ConfirmForm.__dict__},
        "allow_duplicates": "y" if options.allow_duplicates else ""})
    return render_template(
        "finance/import_preview.html", venture=venture, meta=meta, token=token, form=form,
        confirm=confirm, notes=notes, result=result, problems=problems, rows=rows,
        sync_rows=revenue_import.SYNC_ROWS), 422 if refused() else 200


def _record(venture, token: str, stream, options: ImportOptions):
    rows = count_rows(stream, options)
    if rows > revenue_import.SYNC_ROWS:
        job = background.start_import(current_user, venture, token, options, rows)
        return redirect(url_for("finance.job", job_id=job.id), 303)
    count = revenue_import.import_rows(current_user, venture, stream, options,
                                       on_batch=lambda _done: deadline.check())
    after_commit(lambda: discard(token))
    flash(f"Imported {count:,} entries.", "success")
    return redirect(url_for("finance.revenue", venture_id=venture.id), 303)


def import_template(venture_id: int, fmt: str):
    venture = _finance_venture(venture_id)
    if fmt == "csv":
        body, content_type = template_csv(venture.currency), "text/csv; charset=utf-8"
    else:
        body = template_xlsx(venture.currency)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="cotrack-revenue-template.{fmt}"'})
