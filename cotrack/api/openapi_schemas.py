"""OpenAPI component schemas for ventures, gates, status updates and the activity trail."""

STRING = {"type": "string"}
INT = {"type": "integer"}
TIME = {"type": "string", "format": "date-time"}
ROLE = {"type": "string", "enum": ["customer", "reseller", "manufacturer"]}
USER_REF = {"type": ["object", "null"], "properties": {"id": INT, "name": STRING}}
ORG = {"$ref": "#/components/schemas/Organisation"}

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
            "name": STRING, "description": STRING, "currency": STRING,
            "parties": {"type": "object", "required": ["customer", "reseller", "manufacturer"],
                        "properties": {"customer": INT, "reseller": INT, "manufacturer": INT}},
        },
    },
    "VentureEdit": {"type": "object", "properties": {"name": STRING, "description": STRING}},
    "Reason": {"type": "object", "required": ["reason"], "properties": {"reason": STRING}},
    "GateComment": {"type": "object", "properties": {"comment": STRING}},
    "Gate": {
        "type": "object",
        "required": ["id", "kind", "from_stage", "to_stage", "status", "approvals"],
        "properties": {
            "id": INT, "kind": {"type": "string", "enum": ["advance", "shelve"]},
            "from_stage": STRING, "to_stage": {"type": ["string", "null"]},
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
                       "summary": STRING, "decisions": STRING},
    },
    "Milestone": {"type": "object", "required": ["id", "title", "status", "overdue", "version"],
                  "properties": {"id": INT, "title": STRING, "stage": STRING, "party": ROLE,
                                 "assignee_id": {"type": ["integer", "null"]},
                                 "due_date": {"type": "string", "format": "date"},
                                 "status": STRING, "overdue": {"type": "boolean"},
                                 "completed_at": {"type": ["string", "null"]},
                                 "version": INT}},
    "MilestoneWrite": {"type": "object", "properties": {
        "title": STRING, "description": STRING, "stage": STRING, "party": ROLE,
        "assignee_id": {"type": ["integer", "null"]}, "due_date": STRING, "status": STRING,
        "version": INT}},
    "Issue": {"type": "object", "required": ["id", "title", "severity", "status", "version"],
              "properties": {"id": INT, "title": STRING, "severity": STRING, "status": STRING,
                             "party": ROLE, "raised_by": USER_REF,
                             "assignee_id": {"type": ["integer", "null"]},
                             "milestone_id": {"type": ["integer", "null"]}, "version": INT}},
    "IssueWrite": {"type": "object", "properties": {
        "title": STRING, "description": STRING,
        "severity": {"type": "string", "enum": ["low", "medium", "high", "critical"]},
        "party": ROLE, "milestone_id": {"type": ["integer", "null"]},
        "assignee_id": {"type": ["integer", "null"]},
        "status": {"type": "string", "enum": ["open", "in_progress", "resolved", "closed"]},
        "version": INT}},
    "Comment": {"type": "object", "properties": {"id": INT, "author": USER_REF, "body": STRING,
                                                 "created_at": TIME}},
    "CommentWrite": {"type": "object", "required": ["body"], "properties": {"body": STRING}},
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
                        "properties": {"effective_from": STRING, "note": STRING,
                                       "shares": {"type": "object", "properties": {
                                           r: STRING for r in ("customer", "reseller",
                                                               "manufacturer")}}}},
    "RevenueEntry": {"type": "object", "required": ["id", "date", "amount", "currency",
                                                    "allocations"],
                     "properties": {"id": INT, "date": STRING, "amount": STRING,
                                    "currency": STRING, "reference": STRING, "region": STRING,
                                    "allocations": {"type": "object"},
                                    "reverses_id": {"type": ["integer", "null"]},
                                    "reversed_by_id": {"type": ["integer", "null"]}}},
    "RevenueCreate": {"type": "object", "required": ["date", "amount", "reference"],
                      "properties": {"date": STRING, "amount": STRING, "reference": STRING,
                                     "region": STRING, "note": STRING}},
    "Note": {"type": "object", "properties": {"note": STRING}},
    "Activity": {
        "type": "object",
        "properties": {
            "at": TIME, "user": USER_REF, "action": STRING,
            "object": {"type": "object",
                       "properties": {"type": STRING, "id": INT, "label": STRING}},
            "changes": {"type": "object"},
        },
    },
}
