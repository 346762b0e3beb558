"""Import forms: the upload, the options a preview is read with, and the confirmation."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, SubmitField

from cotrack.domain.import_formats import DATE_FORMATS, ENCODINGS, NUMBER_FORMATS
from cotrack.web.forms import Form

DELIMITER_CHOICES = {"auto": "Detect", ",": "Comma (,)", ";": "Semicolon (;)", "tab": "Tab"}


class UploadForm(Form):
    file = FileField("CSV or XLSX file (date, amount, reference, region, note)",
                     validators=[FileRequired(), FileAllowed(
                         ["csv", "txt", "tsv", "xlsx"], "A .csv or .xlsx file.")])
    submit = SubmitField("Preview")


class OptionsForm(Form):
    """How to read the file (a GET form: changing it shows the preview again)."""

    class Meta:
        csrf = False

    encoding = SelectField("Encoding", choices=ENCODINGS)
    delimiter = SelectField("Delimiter", choices=DELIMITER_CHOICES)
    number_format = SelectField("Numbers", choices=NUMBER_FORMATS)
    date_format = SelectField("Dates", choices=DATE_FORMATS)
    allow_duplicates = BooleanField("Allow duplicate references")
    submit = SubmitField("Update preview")


class ConfirmForm(Form):
    """Record the previewed file with the options it was previewed with."""

    encoding = HiddenField()
    delimiter = HiddenField()
    number_format = HiddenField()
    date_format = HiddenField()
    allow_duplicates = HiddenField()
    submit = SubmitField("Record")
