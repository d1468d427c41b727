public import AgentAdapters

extension AgentRegistry {
    /// The registered agents named `names`, in that order, as the hand-off targets of a `ModelAgent`: how a model
    /// agent hands the conversation to another *registered* agent, by name.
    ///
    /// ```swift
    /// var agents = AgentRegistry()
    /// try agents.register(billing)
    /// try agents.register(technical)
    /// let triage = ModelAgent(
    ///     name: "triage", instructions: "Route the user to the right desk.", model: model,
    ///     handoffs: try agents.handoffTargets(["billing", "technical"]))
    /// try agents.register(triage)
    /// // A workflow task {"agent": "triage"} now hands off to the registered billing or technical agent.
    /// ```
    ///
    /// The targets are resolved once, here, so a name nobody registered is an error when the agent is built, not
    /// when the model first tries to hand off.
    ///
    /// - Parameter names: The targets' names.
    /// - Returns: The targets.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/unknownAgent`` naming the first name
    ///   nobody registered and listing the registered names, or ``OrchestrationError/Code/notAHandoffTarget``
    ///   naming a registered agent that cannot take a conversation over.
    public func handoffTargets(_ names: [String]) throws(OrchestrationError) -> [any HandoffTarget] {
        var targets: [any HandoffTarget] = []
        for name in names {
            guard let agent = entry(name)?.agent else {
                throw OrchestrationError(
                    code: .unknownAgent,
                    name: name,
                    registered: self.names,
                    message:
                        "hand-off target \"\(name)\" is not registered (\(OrchestrationError.listing(self.names))); "
                        + "register it before the agent that hands off to it"
                )
            }
            guard let target = agent as? any HandoffTarget else {
                throw OrchestrationError(
                    code: .notAHandoffTarget,
                    name: name,
                    registered: self.names,
                    message: "agent \"\(name)\" cannot take a conversation over: it is no HandoffTarget (a ModelAgent "
                        + "is one)"
                )
            }
            targets.append(target)
        }
        return targets
    }
}
