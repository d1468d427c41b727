// One `import AgentOrchestration` serves ordinary use, as one `import FoundationModels` does: the policy types
// (`StrictPolicy`, `SharedBudget`, `RetryPolicy`, …) and the adapter protocols (`Agent`, `Tool`, `JSONValue`, …)
// come with it. This is the package's one re-export (see STYLE §2.1); no other module re-exports.
@_exported public import AgentAdapters
@_exported public import AgentPolicy
