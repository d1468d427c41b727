import AgentPolicy

/// A workflow's own clock: the run's active time, which stands still while the workflow waits or is paused.
///
/// The policy's timeout bounds what a workflow does, not how long people take to answer it: a wait has its own
/// timeout, and while the workflow sits in a wait (or is held by a pause) with nothing running, its clock stands and
/// its deadline moves out by as long. Time while the process was down does not count either, because a resumed run's
/// clock continues from its last journaled reading. A sub-workflow's clock is its own, but its parent's deadline
/// bounds it on the orchestrator's time (to the parent it is a running task), standing or not.
///
/// A value with the rules only: the driver passes in the orchestrator clock's readings (`Duration`s since that
/// clock's zero) and arms its deadline timer at ``deadline``.
struct WorkflowClock: Sendable, Equatable {
    /// The orchestrator-time reading at which the workflow clock read zero (earlier by the journaled time for a
    /// resumed run).
    let origin: Duration
    /// The policy's timeout: the most active time the workflow may take.
    let timeout: Duration
    /// An enclosing workflow's deadline on the orchestrator's time, for a sub-workflow.
    let outerDeadline: Duration?
    /// The time the clock stood still before the current stand.
    private(set) var stoodStill: Duration = .zero
    /// The orchestrator-time reading at which the current stand began.
    private(set) var standingSince: Duration?

    init(origin: Duration, timeout: Duration, outerDeadline: Duration?) {
        self.origin = origin
        self.timeout = timeout
        self.outerDeadline = outerDeadline
    }

    /// Whether the clock stands still.
    var isStanding: Bool { standingSince != nil }

    /// The workflow clock's reading when the orchestrator's clock reads `time`.
    func reading(at time: Duration) -> Nanoseconds {
        Nanoseconds((standingSince ?? time) - origin - stoodStill)
    }

    /// The orchestrator-time reading at which the deadline passes: the timeout of active time or the enclosing
    /// deadline, whichever comes first; only the enclosing one while the clock stands, `nil` when there is none.
    var deadline: Duration? {
        guard !isStanding else { return outerDeadline }
        let own = origin + stoodStill + timeout
        return outerDeadline.map { min(own, $0) } ?? own
    }

    /// The workflow clock's reading at which the deadline passes, as far as it is known now: an input taken at or
    /// after it loses to the deadline.
    var deadlineReading: Nanoseconds {
        guard let outerDeadline else { return Nanoseconds(timeout) }
        return Nanoseconds(min(timeout, outerDeadline - origin - stoodStill))
    }

    /// Stops the clock at its reading `reading` (the reading of the input after which the workflow waits or is held,
    /// so that the time a journal write took after it does not count); returns whether it was running.
    mutating func stand(since reading: Nanoseconds) -> Bool {
        guard standingSince == nil else { return false }
        standingSince = origin + stoodStill + .nanoseconds(reading.rawValue)
        return true
    }

    /// Starts the clock again when the orchestrator's clock reads `time`; returns whether it was standing.
    mutating func run(at time: Duration) -> Bool {
        guard let since = standingSince else { return false }
        stoodStill += max(.zero, time - since)
        standingSince = nil
        return true
    }
}

extension WorkflowMachine {
    /// Whether the workflow's clock stands still: it waits, or a pause holds it, with nothing running.
    var clockStands: Bool {
        guard stop == nil else { return false }
        if heldBack != nil { return true }
        guard let active, active.pending.isEmpty, case .wait? = definition.states[active.state] else { return false }
        return true
    }
}
