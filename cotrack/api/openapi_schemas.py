"""OpenAPI component schemas for ventures, gates, status updates and the activity trail.

Request schemas say what the server accepts (DOMAIN.md's "Valid input"): text without
control characters (tab and newline in long text) and not blank where required, dates
1900-01-01 to 2199-12-31, the enums the server knows.
"""

from cotrack.domain.money import currency_codes
from cotrack.domain.text_limits import LONG, NAME, REMARK, SHORT, SUMMARY
from cotrack.domain.valid_input import MAX_ID

STRING = {"type": "string"}
INT = {"type": "integer"}
TIME = {"type": "string", "format": "date-time"}
ROLE = {"type": "string", "enum": ["customer", "reseller", "manufacturer"]}
USER_REF = {"type": ["object", "null"], "properties": {"id": INT, "name": STRING}}
ORG = {"$ref": "#/components/schemas/Organisation"}
STAGE_ENUM = ["discovery", "feasibility", "development", "field_trial", "rollout", "closed"]
MILESTONE_STATUS = {"type": "string",
                    "enum": ["planned", "in_progress", "blocked", "done", "cancelled"]}
ISSUE_STATUS = {"type": "string", "enum": ["open", "in_progress", "resolved", "closed"]}
SEVERITY = {"type": "string", "enum": ["low", "medium", "high", "critical"]}
_ONE_LINE = r"[^\x00-\x1f\x7f-\x9f]"
#: long text: tab and line breaks (LF, or a browser's CRLF; never a carriage return alone)
_LONG = r"(?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)"
_VISIBLE = r"[^\s\x00-\x1f\x7f-\x9f]"


def text(limit: int, required: bool = False, long: bool = False) -> dict:
    """A text field: no control characters (tab and newline allowed in long text); a
    required one holds more than blanks."""
    char = _LONG if long else _ONE_LINE
    pattern = f"^{char}*{_VISIBLE}{char}*$" if required else f"^{char}*$"
    if required:
        return {"type": "string", "maxLength": limit, "pattern": pattern, "minLength": 1}
    # an optional one may be null, which the server reads as empty
    return {"type": ["string", "null"], "maxLength": limit, "pattern": pattern}


#: a date between 1900-01-01 and 2199-12-31 (DOMAIN.md)
DATE = {"type": "string", "format": "date",
        "pattern": r"^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"}
#: a percent with at most two decimals, 0 to 100
SHARE = {"type": "string", "pattern": r"^(100(\.00?)?|\d{1,2}(\.\d{1,2})?)$"}
#: an amount in the venture's currency: a decimal string, not zero, below 10^15 minor units
AMOUNT = {"type": "string", "pattern": r"^-?(0*[1-9]\d{0,11}(\.\d{1,3})?|0*\.\d*[1-9]\d*)$"}
OPTIONAL_ID = {"type": ["integer", "null"], "minimum": 1}
#: the version a client read (optimistic locking): stored as a 32-bit INTEGER from 1
VERSION = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
#: any JSON value the server reads without refusing it: no control characters in keys, none
#: but tab and line breaks in strings (other fields of a body are ignored, not refused)
CLEAN_VALUE = {"anyOf": [
    {"type": "string", "pattern": r"^(?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*$"},
    {"type": ["number", "boolean", "null"]},
    {"type": "array", "items": {"$ref": "#/components/schemas/CleanValue"}},
    {"type": "object", "propertyNames": {"pattern": r"^[^\x00-\x1f\x7f-\x9f]*$"},
     "additionalProperties": {"$ref": "#/components/schemas/CleanValue"}},
]}


def request_schema(schema: dict) -> dict:
    """A request body's object schema, with every object in it saying what it accepts
    besides its named properties: clean JSON under clean names."""
    if schema.get("type") == "object":
        schema.setdefault("propertyNames", CLEAN_VALUE["anyOf"][3]["propertyNames"])
        schema.setdefault("additionalProperties", {"$ref": "#/components/schemas/CleanValue"})
        for value in schema.get("properties", {}).values():
            request_schema(value)
    return schema
#: an ISO 4217 code as the server knows them (Babel's list), in either case
CURRENCY = {"type": "string",
            "enum": sorted(c for code in currency_codes() for c in (code, code.lower()))}

VENTURE_SCHEMAS = {
    "Venture": {
        "type": "object",
        "required": ["id", "name", "description", "currency", "stage", "status", "parties",
                     "created_at"],
        "properties": {
            "id": INT, "name": STRING, "description": STRING,
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "stage": {"type": "string", "enum": ["discovery", "feasibility", "development",
                                                 "field_trial", "rollout", "closed"]},
            "status": {"type": "string",
                       "enum": ["pending", "active", "declined", "shelved", "closed"]},
            "closed_reason": {"type": ["string", "null"]},
            "parties": {"type": "array", "items": {
                "type": "object",
                "properties": {"role": ROLE, "organisation": ORG, "accepted": {"type": "boolean"}},
            }},
            "created_at": TIME,
        },
    },
    "VentureCreate": {
        "type": "object",
        "required": ["name", "currency", "parties"],
        "properties": {
            "name": text(NAME, required=True), "description": text(LONG, long=True),
            "currency": CURRENCY,
            "parties": {"type": "object", "required": ["customer", "reseller", "manufacturer"],
                        "properties": {"customer": INT, "reseller": INT, "manufacturer": INT}},
        },
    },
    "VentureEdit": {"type": "object", "properties": {
        "name": text(NAME, required=True), "description": text(LONG, long=True)}},
    "Reason": {"type": "object", "required": ["reason"],
               "properties": {"reason": text(REMARK, required=True, long=True)}},
    "GateComment": {"type": "object", "properties": {"comment": text(REMARK, long=True)}},
    "GateRejection": {"type": "object", "required": ["comment"],
                      "properties": {"comment": text(REMARK, required=True, long=True)}},
    "Gate": {
        "type": "object",
        "required": ["id", "kind", "from_stage", "to_stage", "status", "approvals"],
        "properties": {
            "id": INT, "kind": {"type": "string", "enum": ["advance", "shelve"]},
            "from_stage": {"type": "string", "enum": STAGE_ENUM},
            "to_stage": {"type": ["string", "null"], "enum": [*STAGE_ENUM, None]},
            "status": {"type": "string", "enum": ["open", "approved", "rejected"]},
            "reason": {"type": ["string", "null"]}, "requested_by": USER_REF,
            "requested_at": TIME,
            "approvals": {"type": "array", "items": {
                "type": "object",
                "properties": {"role": ROLE, "user": USER_REF,
                               "decision": {"type": "string", "enum": ["approve", "reject"]},
                               "comment": STRING, "at": TIME},
            }},
        },
    },
    "StatusUpdate": {
        "type": "object",
        "properties": {"id": INT, "health": {"type": "string", "enum": ["green", "amber", "red"]},
                       "summary": STRING, "decisions": STRING, "author": USER_REF,
                       "created_at": TIME},
    },
    "StatusUpdateCreate": {
        "type": "object", "required": ["health", "summary"],
        "properties": {"health": {"type": "string", "enum": ["green", "amber", "red"]},
                       "summary": text(SUMMARY, required=True, long=True),
                       "decisions": text(SUMMARY, long=True)},
    },
    "Milestone": {"type": "object", "required": ["id", "title", "status", "overdue", "version"],
                  "properties": {"id": INT, "title": STRING, "stage": STRING, "party": ROLE,
                                 "assignee_id": {"type": ["integer", "null"]},
                                 "due_date": {"type": "string", "format": "date"},
                                 "status": STRING, "overdue": {"type": "boolean"},
                                 "completed_at": {"type": ["string", "null"]},
                                 "version": INT}},
    "MilestoneCreate": {"type": "object", "required": ["title", "stage", "party", "due_date"],
                        "properties": {
        "title": text(NAME, required=True), "description": text(LONG, long=True),
        "stage": {"type": "string", "enum": STAGE_ENUM[:-1]}, "party": ROLE,
        "assignee_id": OPTIONAL_ID, "due_date": DATE, "status": MILESTONE_STATUS}},
    "MilestoneWrite": {"type": "object", "required": ["version"], "properties": {
        "title": text(NAME, required=True), "description": text(LONG, long=True),
        "stage": {"type": "string", "enum": STAGE_ENUM[:-1]}, "party": ROLE,
        "assignee_id": OPTIONAL_ID, "due_date": DATE, "status": MILESTONE_STATUS,
        "version": VERSION}},
    "Issue": {"type": "object", "required": ["id", "title", "severity", "status", "version"],
              "properties": {"id": INT, "title": STRING, "severity": STRING, "status": STRING,
                             "party": ROLE, "raised_by": USER_REF,
                             "assignee_id": {"type": ["integer", "null"]},
                             "milestone_id": {"type": ["integer", "null"]}, "version": INT}},
    "IssueCreate": {"type": "object", "required": ["title", "severity", "party"],
                    "properties": {
        "title": text(NAME, required=True), "description": text(LONG, long=True),
        "severity": SEVERITY, "party": ROLE, "milestone_id": OPTIONAL_ID,
        "assignee_id": OPTIONAL_ID}},
    "IssueWrite": {"type": "object", "required": ["version"], "properties": {
        "title": text(NAME, required=True), "description": text(LONG, long=True),
        "severity": SEVERITY, "party": ROLE, "milestone_id": OPTIONAL_ID,
        "assignee_id": OPTIONAL_ID, "status": ISSUE_STATUS, "version": VERSION}},
    "Comment": {"type": "object", "properties": {"id": INT, "author": USER_REF, "body": STRING,
                                                 "created_at": TIME}},
    "CommentWrite": {"type": "object", "required": ["body"],
                     "description": "with status (and the version read): the comment and "
                                    "the status change in one step (a lead or the assignee)",
                     "properties": {"body": text(LONG, required=True, long=True),
                                    "status": {"type": ["string", "null"],
                                               "enum": [*ISSUE_STATUS["enum"], "", None],
                                               "description": "empty or null: no change"},
                                    "version": VERSION}},
    "Scorecard": {"type": "object", "properties": {"venture_id": INT, "parties": {
        "type": "array", "items": {"type": "object"}}}},
    "Agreement": {"type": "object", "required": ["id", "version", "status", "effective_from",
                                                 "shares", "approvals"],
                  "properties": {"id": INT, "version": INT, "status": STRING,
                                 "effective_from": STRING,
                                 "shares": {"type": "object", "properties": {
                                     r: STRING for r in ("customer", "reseller",
                                                         "manufacturer")}},
                                 "approvals": {"type": "array", "items": {"type": "object"}}}},
    "AgreementCreate": {"type": "object", "required": ["effective_from", "shares"],
                        "properties": {"effective_from": DATE,
                                       "note": text(SUMMARY, long=True),
                                       "shares": {"type": "object", "required": [
                                           "customer", "reseller", "manufacturer"],
                                           "properties": {r: SHARE for r in (
                                               "customer", "reseller", "manufacturer")}}}},
    "RevenueEntry": {"type": "object", "required": ["id", "date", "amount", "currency",
                                                    "allocations"],
                     "properties": {"id": INT, "date": STRING, "amount": STRING,
                                    "currency": STRING, "reference": STRING, "region": STRING,
                                    "allocations": {"type": "object"},
                                    "reverses_id": {"type": ["integer", "null"]},
                                    "reversed_by_id": {"type": ["integer", "null"]},
                                    "reversal_reason": {
                                        "type": ["string", "null"],
                                        "description": "why it was reversed (on both the "
                                                       "reversed entry and its reversal)"}}},
    "RevenueCreate": {"type": "object", "required": ["date", "amount", "reference"],
                      "properties": {"date": DATE, "amount": AMOUNT,
                                     "reference": text(SHORT, required=True),
                                     "region": text(SHORT), "note": text(REMARK, long=True),
                                     "allow_duplicate_reference": {"type": "boolean"}}},
    "Reversal": {"type": "object", "properties": {
        "reason": text(REMARK, required=True, long=True),
        "note": {**text(REMARK, required=True, long=True),
                 "description": "the earlier name of reason"}},
        "anyOf": [{"required": ["reason"]}, {"required": ["note"]}]},
    "Statement": {
        "type": "object",
        "required": ["format", "venture_id", "entries", "chain_head", "totals", "signature"],
        "properties": {
            "format": STRING, "venture_id": INT, "kind": STRING, "taken_at": STRING,
            "entries": INT, "through_entry_id": {"type": ["integer", "null"]},
            "chain_head": STRING, "currency": STRING, "totals": {"type": "object"},
            "about": {"type": "object"},
            "signature": {"type": "string", "description": "HMAC-SHA256 with the ledger key "
                          "over the other fields but `about` (sorted keys, no spaces)"},
        },
    },
    "Activity": {
        "type": "object",
        "properties": {
            "at": TIME, "user": USER_REF, "action": STRING,
            "text": {"type": "string", "description": "the entry as a plain sentence, in the "
                     "reader's locale"},
            "object": {"type": "object",
                       "properties": {"type": STRING, "id": INT, "label": STRING}},
            "changes": {"type": "object"},
        },
    },
}

#: bodies the server reads: everything in them besides the named fields must be clean JSON
REQUEST_SCHEMAS = ("VentureCreate", "VentureEdit", "Reason", "GateComment", "GateRejection",
                   "StatusUpdateCreate", "MilestoneCreate", "MilestoneWrite", "IssueCreate",
                   "IssueWrite", "CommentWrite", "AgreementCreate", "RevenueCreate", "Reversal")
for _name in REQUEST_SCHEMAS:
    request_schema(VENTURE_SCHEMAS[_name])
VENTURE_SCHEMAS["CleanValue"] = CLEAN_VALUE
