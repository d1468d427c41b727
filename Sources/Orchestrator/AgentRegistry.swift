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

/// A counting semaphore for an agent's concurrency limit: waiting is cancellable, and a lease releases once.
final class AgentSlots: Sendable {
    private struct State {
        var free: Int
        var limit: Int
        var nextWaiter: UInt64 = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var cancelledBeforeWaiting: Set<UInt64> = []
    }

    private let state: LockedState<State>

    init(limit: Int) { state = LockedState(State(free: limit, limit: limit)) }

    var inUse: Int { state.withLock { $0.limit - $0.free } }

    var hasFreeSlot: Bool { state.withLock { $0.free > 0 } }

    /// Takes a slot, waiting for one if none is free.
    ///
    /// - Throws: `CancellationError` if the task is cancelled while waiting; no slot is held then.
    func acquire() async throws -> SlotLease {
        let id: UInt64? = state.withLock { state in
            if state.free > 0 {
                state.free -= 1
                return nil
            }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let id else { return SlotLease(self) }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool? in
                    if state.cancelledBeforeWaiting.remove(id) != nil { return true }
                    if state.free > 0 {
                        state.free -= 1
                        return false
                    }
                    state.waiters.append((id, continuation))
                    return nil
                }
                switch cancelled {
                case true?: continuation.resume(throwing: CancellationError())
                case false?: continuation.resume()
                case nil: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index).continuation
                }
                state.cancelledBeforeWaiting.insert(id)
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
        return SlotLease(self)
    }

    fileprivate func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.waiters.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiters.removeFirst().continuation  // the slot passes straight to the next waiter
        }
        next?.resume()
    }
}

/// One held slot; ``release()`` gives it back exactly once, however often it is called.
final class SlotLease: Sendable {
    private let slots: AgentSlots
    private let released = LockedState(false)

    init(_ slots: AgentSlots) { self.slots = slots }

    func release() {
        let first = released.withLock { released in
            defer { released = true }
            return !released
        }
        if first { slots.release() }
    }
}
