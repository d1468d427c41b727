/// The deadlines of an orchestrator's runs in flight: a min-heap by deadline with lazy removal, the rules of
/// ``DeadlineTimer`` as a value.
///
/// ``add(_:at:)`` returns a ticket; ``remove(_:)`` forgets the entry at once (O(1)) and leaves its heap slot behind
/// as a tombstone that ``takeDue(now:)`` and ``earliest`` skip. A run that ends before its deadline (nearly every
/// run) therefore costs one heap insertion and one dictionary removal. When tombstones outnumber live entries by
/// more than ``compactionSlack``, the heap is rebuilt from the live entries, so its size stays proportional to the
/// runs in flight however many runs end early.
///
/// A value type without locking: ``DeadlineTimer`` keeps it under its mutex.
struct DeadlineSchedule<Entry> {
    /// A handle for removing an entry.
    struct Ticket: Hashable, Sendable {
        fileprivate let rawValue: UInt64
    }

    /// The tombstones tolerated beyond twice the live entries before the heap is rebuilt.
    static var compactionSlack: Int { 64 }

    private struct Slot {
        var deadline: Duration
        var ticket: UInt64
    }

    private var heap: [Slot] = []
    private var live: [UInt64: Entry] = [:]
    private var nextTicket: UInt64 = 0

    /// Creates an empty schedule.
    init() {}

    /// The number of live entries.
    var count: Int { live.count }

    /// Whether no entry is live.
    var isEmpty: Bool { live.isEmpty }

    /// The heap's slots, tombstones included: what the schedule's memory is proportional to.
    var storageCount: Int { heap.count }

    /// Schedules `entry` at `deadline`.
    ///
    /// - Returns: The ticket for ``remove(_:)``, and whether `deadline` is now the earliest live deadline (the
    ///   timer must then wake to wait for it instead).
    mutating func add(_ entry: Entry, at deadline: Duration) -> (ticket: Ticket, isEarliest: Bool) {
        let previous = earliest
        let ticket = nextTicket
        nextTicket &+= 1
        live[ticket] = entry
        heap.append(Slot(deadline: deadline, ticket: ticket))
        siftUp(heap.count - 1)
        return (Ticket(rawValue: ticket), previous.map { deadline < $0 } ?? true)
    }

    /// Forgets the entry of `ticket`; nothing happens if it has fired or was removed already.
    ///
    /// - Returns: The entry, if it was still scheduled.
    @discardableResult
    mutating func remove(_ ticket: Ticket) -> Entry? {
        guard let entry = live.removeValue(forKey: ticket.rawValue) else { return nil }
        if heap.count > 2 * live.count + Self.compactionSlack { compact() }
        return entry
    }

    /// The earliest live deadline, or `nil` when nothing is scheduled.
    var earliest: Duration? {
        mutating get {
            dropTombstones()
            return heap.first?.deadline
        }
    }

    /// Removes and returns the entries whose deadline is at or before `now`, earliest first.
    mutating func takeDue(now: Duration) -> [(entry: Entry, deadline: Duration)] {
        var due: [(entry: Entry, deadline: Duration)] = []
        while let first = heap.first, first.deadline <= now {
            popFirst()
            if let entry = live.removeValue(forKey: first.ticket) { due.append((entry, first.deadline)) }
        }
        return due
    }

    // MARK: Heap

    private mutating func dropTombstones() {
        while let first = heap.first, live[first.ticket] == nil { popFirst() }
    }

    private mutating func popFirst() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func compact() {
        heap.removeAll { live[$0.ticket] == nil }
        // Floyd's bottom-up heap construction: O(n).
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private static func precedes(_ a: Slot, _ b: Slot) -> Bool {
        a.deadline < b.deadline || (a.deadline == b.deadline && a.ticket < b.ticket)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var first = left
            if left + 1 < heap.count, Self.precedes(heap[left + 1], heap[left]) { first = left + 1 }
            guard Self.precedes(heap[first], heap[parent]) else { return }
            heap.swapAt(first, parent)
            parent = first
        }
    }
}

extension DeadlineSchedule: Sendable where Entry: Sendable {}
