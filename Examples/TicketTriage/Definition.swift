/// The triage workflow as a JSON definition, as it would be loaded from a file or a configuration service.
///
/// classify → route → billing: draft → human approval → send | technical: draft → send | other: FAQ lookup → send.
///
/// The approval waits up to a day, then escalates, although `main.swift` gives each ticket a 60-second policy: the
/// policy's timeout bounds the workflow's active time, and its clock stands still while it waits for a person.
let triageDefinitionJSON = """
    {
      "name": "ticket-triage",
      "version": "1.0.0",
      "initialState": "classify",
      "maxVisitsPerState": 3,
      "states": {
        "classify": {"kind": "task", "agent": "classifier", "input": "$.ticket.text", "output": "$.category",
                     "next": "route", "onFailure": "failed"},
        "route": {"kind": "decision",
                  "choices": [
                    {"condition": {"kind": "equals", "path": "$.category", "value": "billing"}, "next": "billingDraft"},
                    {"condition": {"kind": "isOneOf", "path": "$.category", "values": ["technical", "outage"]},
                     "next": "technicalDraft"}
                  ],
                  "default": "faq"},
        "billingDraft": {"kind": "task", "agent": "drafter", "input": "$.ticket", "output": "$.draft",
                         "next": "approval", "onFailure": "failed"},
        "approval": {"kind": "wait", "approval": "Send this refund reply to the customer?",
                     "timeoutNanoseconds": 86400000000000, "output": "$.approval",
                     "next": "send", "onTimeout": "escalate", "onDenied": "escalate"},
        "technicalDraft": {"kind": "task", "agent": "drafter", "input": "$.ticket", "output": "$.draft",
                           "next": "send", "onFailure": "failed"},
        "faq": {"kind": "task", "tool": "faq.lookup", "input": "$.ticket", "output": "$.draft",
                "next": "send", "onFailure": "escalate"},
        "send": {"kind": "task", "tool": "tickets.reply", "input": "$.draft", "output": "$.sent",
                 "next": "done", "onFailure": "failed"},
        "escalate": {"kind": "end", "outcome": "failed", "reason": "handed to a person"},
        "failed": {"kind": "end", "outcome": "failed", "reason": "a step failed"},
        "done": {"kind": "end", "outcome": "succeeded"}
      }
    }
    """
