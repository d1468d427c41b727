@_spi(Internals) import AgentPolicy

/// A counting semaphore for an agent's concurrency limit: waiting is cancellable, and a lease releases once.
///
/// Its rules live in ``AgentSlotsState``; this class holds the value in a lock and resumes the continuations the
/// value hands back after unlocking.
final class AgentSlots: Sendable {
    private let state: LockedState<AgentSlotsState>

    init(limit: Int) { state = LockedState(AgentSlotsState(limit: limit)) }

    var inUse: Int { state.withLock { $0.limit - $0.free } }

    var hasFreeSlot: Bool { state.withLock { $0.free > 0 } }

    /// Waiters the state still tracks (waiting, or cancelled before they could wait); 0 when nobody waits.
    var trackedWaiters: Int { state.withLock { $0.trackedWaiters } }

    /// Takes a slot, waiting for one if none is free.
    ///
    /// - Throws: `CancellationError` if the task is cancelled while waiting; no slot is held then.
    func acquire() async throws -> SlotLease {
        guard case .wait(let id) = state.withLock({ $0.acquire() }) else { return SlotLease(self) }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                switch state.withLock({ $0.suspend(id, continuation) }) {
                case .granted: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .suspended: break
                }
            }
        } onCancel: {
            state.withLock { $0.cancel(id) }?.resume(throwing: CancellationError())
        }
        return SlotLease(self)
    }

    fileprivate func release() {
        // The slot passes straight to the next waiter, if any.
        state.withLock { $0.release() }?.resume()
    }
}

/// The rules of ``AgentSlots``: free slots, waiters in arrival order, and cancellation racing every other event.
///
/// A waiter's id is tracked from the moment it must wait until it is granted a slot or cancelled, and not a moment
/// longer: cancellation that arrives after the grant finds nothing and remembers nothing.
struct AgentSlotsState: Sendable {
    private enum Waiter {
        /// Must wait, but has not handed over its continuation yet.
        case pending
        /// Waiting for a slot.
        case waiting(CheckedContinuation<Void, any Error>)
        /// Cancelled before it could hand over its continuation.
        case cancelled
    }

    enum Acquisition: Equatable {
        case acquired
        case wait(UInt64)
    }

    enum Suspension {
        case granted
        case cancelled
        case suspended
    }

    let limit: Int
    private(set) var free: Int
    private var nextID: UInt64 = 0
    private var waiters: [UInt64: Waiter] = [:]
    private var queue: [UInt64] = []

    init(limit: Int) {
        self.limit = limit
        self.free = limit
    }

    /// Waiters tracked: waiting, or cancelled before they could wait.
    var trackedWaiters: Int { waiters.count }

    /// Takes a free slot, or hands out an id to wait with.
    mutating func acquire() -> Acquisition {
        if free > 0 {
            free -= 1
            return .acquired
        }
        nextID += 1
        waiters[nextID] = .pending
        return .wait(nextID)
    }

    /// The waiter `id` hands over its continuation: granted at once if a slot came free, refused if it was
    /// cancelled meanwhile, otherwise queued.
    mutating func suspend(_ id: UInt64, _ continuation: CheckedContinuation<Void, any Error>) -> Suspension {
        switch waiters[id] {
        case .cancelled?:
            waiters[id] = nil
            return .cancelled
        case .pending?:
            if free > 0 {
                free -= 1
                waiters[id] = nil
                return .granted
            }
            waiters[id] = .waiting(continuation)
            queue.append(id)
            return .suspended
        case .waiting?, nil:
            preconditionFailure("waiter \(id) suspended twice or after it was resolved")
        }
    }

    /// The waiter `id` was cancelled; returns its continuation to resume with `CancellationError` if it was waiting.
    mutating func cancel(_ id: UInt64) -> CheckedContinuation<Void, any Error>? {
        switch waiters[id] {
        case .pending?:
            waiters[id] = .cancelled
            return nil
        case .waiting(let continuation)?:
            waiters[id] = nil
            return continuation
        case .cancelled?, nil:
            // Already granted (or already cancelled): nothing to undo, nothing to remember.
            return nil
        }
    }

    /// A slot is given back: returns the next waiter's continuation to resume (it now holds the slot), or frees it.
    mutating func release() -> CheckedContinuation<Void, any Error>? {
        while !queue.isEmpty {
            let id = queue.removeFirst()
            if case .waiting(let continuation)? = waiters[id] {
                waiters[id] = nil
                return continuation
            }
        }
        free += 1
        return nil
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
