public import AgentPolicy

extension ModelAgent {
    /// Which of the orchestrator's tools (those the run's policy allows) the model is offered and may call.
    ///
    /// Patterns are AgentPolicy's `ToolPattern`s, the patterns of the policy's allow and deny lists, so a pattern
    /// means the same here as there and is checked by the same rules: `*` matches any run of characters (also an
    /// empty one); a pattern is non-empty, uses only letters, digits, `_`, `-`, `.`, `:`, `/` and `*`, and never
    /// `**`. Write `try .named(["search_*", "calculator"])`, which checks the texts, or `.named(patterns)` with
    /// patterns made by `try ToolPattern(text)`.
    public enum ToolAccess: Hashable, Sendable {
        /// Every tool the run may call.
        case all
        /// No tool.
        case none
        /// The tools whose names match one of these patterns.
        case named([ToolPattern])

        /// The tools whose names match one of these patterns, checked as the policy checks its allow list.
        ///
        /// - Parameter patterns: Tool-name patterns, such as `search_*`.
        /// - Returns: ``named(_:)-swift.enum.case`` with the checked patterns.
        /// - Throws: `PolicyError` with code `malformedPattern`, naming the pattern and its field (`tools[1]`), for
        ///   the first pattern that is empty, contains `**` or a character other than letters, digits,
        ///   `_ - . : /` and `*`.
        public static func named(_ patterns: [String]) throws(PolicyError) -> ToolAccess {
            var checked: [ToolPattern] = []
            for (index, text) in patterns.enumerated() {
                checked.append(try ToolPattern(text, field: "tools[\(index)]"))
            }
            return .named(checked)
        }

        /// Whether the model is offered, and may call, the tool named `tool` (if the run's policy allows it too).
        ///
        /// - Parameter tool: A tool name.
        /// - Returns: `true` for ``all``, `false` for ``none``, and for ``named(_:)-swift.enum.case`` whether one of
        ///   the patterns matches.
        public func allows(_ tool: String) -> Bool {
            switch self {
            case .all: true
            case .none: false
            case .named(let patterns): patterns.contains { $0.matches(tool) }
            }
        }
    }
}
