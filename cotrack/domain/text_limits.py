"""The longest text each kind of field takes, in characters as sent (DOMAIN.md "Valid
input"). The services' checks, the HTML forms and the API's description all read their
limits from here, so a form, the API and the description cannot disagree."""

#: a reference or a region on a revenue line, an API token's name
SHORT = 100
#: a person's, a venture's, an organisation's name; a milestone's or an issue's title
NAME = 200
#: an email address (RFC 5321)
EMAIL = 254
#: a comment on a gate or agreement decision, a reason (shelving, declining, correcting),
#: a revenue line's note
REMARK = 2000
#: a status update's summary and decisions, a split agreement's note
SUMMARY = 5000
#: a description, an issue comment
LONG = 10_000
