public import AgentAdapters
import AgentPolicy

/// Agents by name, with the capabilities they offer and, optionally, how many runs each may have at once.
///
/// Graph nodes may name an agent or a capability; a capability resolves to the first registered agent offering it
/// that has a free slot, with the next one as the fallback. Registering a name twice, or asking for a name or
/// capability nobody offers, gives an ``OrchestrationError`` listing what is registered.
///
/// ```swift
/// var registry = AgentRegistry()
/// try registry.register(researcher, capabilities: ["research"], maxConcurrentRuns: 2)
/// try registry.register(backupResearcher, capabilities: ["research"])
/// ```
///
/// A registry is a `Sendable` value; copies share the agents' concurrency slots.
public struct AgentRegistry: Sendable {
    struct Entry: Sendable {
        let agent: any Agent
        let capabilities: [String]
        let slots: AgentSlots?
        let order: Int
    }

    private var entries: [String: Entry] = [:]

    /// Creates an empty registry.
    public init() {}

    /// Registers `agent` under its `Agent.name`.
    ///
    /// - Parameters:
    ///   - agent: The agent.
    ///   - capabilities: What the agent can do, for nodes that name a capability.
    ///   - maxConcurrentRuns: How many runs of this agent may be in flight at once; `nil` for no limit.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/duplicateAgent`` listing the
    ///   registered names, or ``OrchestrationError/Code/invalidConfiguration`` for a limit below 1.
    public mutating func register(
        _ agent: some Agent,
        capabilities: [String] = [],
        maxConcurrentRuns: Int? = nil
    ) throws(OrchestrationError) {
        let name = agent.name
        guard entries[name] == nil else {
            throw OrchestrationError(
                code: .duplicateAgent,
                name: name,
                registered: names,
                message: "an agent named \"\(name)\" is already registered (\(OrchestrationError.listing(names)))"
            )
        }
        if let maxConcurrentRuns, maxConcurrentRuns < 1 {
            throw OrchestrationError(
                code: .invalidConfiguration,
                name: name,
                message: "maxConcurrentRuns for \"\(name)\" is \(maxConcurrentRuns); it must be at least 1"
            )
        }
        entries[name] = Entry(
            agent: agent,
            capabilities: capabilities,
            slots: maxConcurrentRuns.map(AgentSlots.init),
            order: entries.count
        )
    }

    /// The registered agent names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// Every capability some agent offers, sorted.
    public var capabilities: [String] { Set(entries.values.flatMap(\.capabilities)).sorted() }

    /// Returns the agent registered as `name`.
    ///
    /// - Parameter name: The agent's name.
    /// - Returns: The agent.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/unknownAgent`` listing the names.
    public func agent(named name: String) throws(OrchestrationError) -> any Agent {
        guard let entry = entries[name] else {
            throw OrchestrationError(
                code: .unknownAgent,
                name: name,
                registered: names,
                message: "no agent named \"\(name)\" (\(OrchestrationError.listing(names)))"
            )
        }
        return entry.agent
    }

    /// The names of the agents offering `capability`, in registration order.
    ///
    /// - Parameter capability: The capability.
    /// - Returns: The agents' names.
    public func agents(offering capability: String) -> [String] {
        entries.filter { $0.value.capabilities.contains(capability) }
            .sorted { $0.value.order < $1.value.order }
            .map(\.key)
    }

    /// How many runs of `name` are in flight now (only tracked for agents with a concurrency limit).
    ///
    /// - Parameter name: The agent's name.
    /// - Returns: The runs in flight, or `nil` if the agent has no limit or is unknown.
    public func runsInFlight(of name: String) -> Int? { entries[name]?.slots?.inUse }

    func entry(_ name: String) -> Entry? { entries[name] }
}
