@_spi(Internals) import AgentPolicy
import Synchronization

/// One subscriber's buffered events: a ring of slots that the runs delivering write and the reader empties without
/// sharing a lock word with them.
///
/// The rules are ``EventBufferState``'s (bounded, the oldest dropped when full, every event read once and in
/// order); what differs is who touches what. Events `head..<tail` are buffered; event `i` lives in slot `i & mask`.
/// - The producers (the runs delivering) are serialised by the caller's lock (the subscriber's); only they write
///   ``tail``, once per event, after the event's slot is written (releasing), so a reader that reads `tail`
///   (acquiring) reads every slot below it whole.
/// - The reader takes `head..<tail` under ``readerLock``, a lock that no producer takes unless it must drop or grow
///   (below), moves the events out of their slots and stores `head` once per take (releasing): a producer that reads
///   `head` (acquiring) writes a slot below it only after the reader has moved its event out.
/// - A producer that finds ``capacity`` events buffered drops the oldest, and one that finds every slot in use grows
///   the ring; both under ``readerLock`` (so never while a take moves events out), the only times a producer writes
///   `head` or the slots' address.
///
/// `head` and `tail` sit on cache lines of their own: a take writes only the reader's line (and its lock's), a
/// delivery only the producers' line and the slot, and neither finds the other holding a lock.
///
/// The slots' address is kept as an integer in an atomic (so that the type is `Sendable` with no unchecked
/// conformance): it changes only while both the producers' lock and ``readerLock`` are held, and is read only under
/// one of them. The slots themselves are handed between the sides by the two indices as described.
final class EventRing: Sendable {
    /// The most events buffered: a delivery beyond it drops the oldest.
    let capacity: Int
    /// The largest number of slots: the smallest power of two not below ``capacity``.
    private let maximumSlots: Int
    /// The slots' address (`0` before the first delivery); written under both locks.
    private let slotsAddress = Atomic<Int>(0)
    /// The number of slots minus one (`-1` before the first delivery); written under both locks.
    private let mask = Atomic<Int>(-1)
    /// Keeps `head` off the line of the fields above.
    private let beforeHead: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// The index of the oldest buffered event: written by the reader's take, and by a producer's drop under
    /// ``readerLock``.
    private let head = Atomic<Int>(0)
    /// Whether the stream has ended (no event is appended after it is set): on the reader's line, since the reader
    /// reads it whenever a take finds nothing, and it is written once.
    private let ended = Atomic<Bool>(false)
    /// Keeps `head` and `tail` on separate lines.
    private let betweenIndices: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// The index after the newest buffered event: written only by producers, under their lock.
    private let tail = Atomic<Int>(0)
    /// A value `head` had, kept by the producers (under their lock) so that a delivery reads the reader's line only
    /// when this one says the slots or ``capacity`` may be used up: `head` only grows, so the room it shows is
    /// there.
    private let knownHead = Atomic<Int>(0)
    /// Keeps `tail` off the next allocation's line.
    private let afterTail: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Held by a take while it moves events out, and by a producer that drops or grows; holds the reader's copy of
    /// the slots' address and mask.
    private let readerLock = LockedState(RingSlots())

    /// Creates an empty ring; no slots are allocated before the first delivery.
    ///
    /// - Parameter capacity: The most events buffered (at least 1).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        var slots = 1
        while slots < self.capacity, slots <= Int.max / 2 { slots <<= 1 }
        maximumSlots = slots
    }

    deinit {
        let mask = mask.load(ordering: .relaxed)
        guard mask >= 0 else { return }
        let slots = slots(mask)
        for index in head.load(ordering: .relaxed)..<tail.load(ordering: .relaxed) {
            (slots + (index & mask)).deinitialize(count: 1)
        }
        slots.deallocate()
    }

    /// Events buffered; exact for a producer holding its lock, or for the reader between its takes.
    var count: Int { tail.load(ordering: .acquiring) - head.load(ordering: .acquiring) }

    /// The slots, from their address; `mask` is the current mask (read under one of the locks).
    private func slots(_ mask: Int) -> UnsafeMutablePointer<OrchestrationEvent> {
        RingSlots(address: slotsAddress.load(ordering: .relaxed), mask: mask).pointer
    }

    /// Buffers `event` after the others, first dropping the oldest when ``capacity`` events are buffered. Call only
    /// while holding the producers' lock.
    ///
    /// - Returns: The drops (0 or 1).
    func append(_ event: consuming OrchestrationEvent) -> Int {
        let end = tail.load(ordering: .relaxed)
        var dropped = 0
        var mask = mask.load(ordering: .relaxed)
        if isUsedUp(end - knownHead.load(ordering: .relaxed), mask: mask) {
            let start = head.load(ordering: .acquiring)
            knownHead.store(start, ordering: .relaxed)
            if isUsedUp(end - start, mask: mask) { (dropped, mask) = makeRoom(end: end) }
        }
        (slots(mask) + (end & mask)).initialize(to: event)
        tail.store(end + 1, ordering: .releasing)
        return dropped
    }

    /// Whether `used` events fill ``capacity`` or every slot.
    private func isUsedUp(_ used: Int, mask: Int) -> Bool { used >= capacity || used > mask }

    /// ``capacity`` events or every slot looked in use: under ``readerLock``, drops the oldest event when ``capacity`` are buffered, or
    /// doubles the slots.
    ///
    /// - Parameter end: ``tail``.
    /// - Returns: The drops (0 or 1) and the mask to write the new event with.
    private func makeRoom(end: Int) -> (dropped: Int, mask: Int) {
        readerLock.withLock { readerSlots in
            let start = head.load(ordering: .acquiring)
            let mask = mask.load(ordering: .relaxed)
            if end - start == capacity {
                (slots(mask) + (start & mask)).deinitialize(count: 1)
                head.store(start + 1, ordering: .releasing)
                knownHead.store(start + 1, ordering: .relaxed)
                return (1, mask)
            }
            guard end - start > mask else { return (0, mask) }
            let count = min(maximumSlots, mask < 0 ? 8 : (mask + 1) * 2)
            let grown = UnsafeMutablePointer<OrchestrationEvent>.allocate(capacity: count)
            if mask >= 0 {
                let slots = slots(mask)
                for index in start..<end {
                    (grown + (index & (count - 1))).moveInitialize(from: slots + (index & mask), count: 1)
                }
                slots.deallocate()
            }
            readerSlots = RingSlots(address: Int(bitPattern: grown), mask: count - 1)
            slotsAddress.store(readerSlots.address, ordering: .relaxed)
            self.mask.store(count - 1, ordering: .relaxed)
            return (0, count - 1)
        }
    }

    /// Whether events are buffered; for the reader, which watches for deliveries with it.
    var hasEvents: Bool { tail.load(ordering: .acquiring) != head.load(ordering: .relaxed) }

    /// Whether the stream has ended; read before a take that finds nothing, the end means nothing more will come.
    var isEnded: Bool { ended.load(ordering: .acquiring) }

    /// Ends the stream. Call only while holding the producers' lock, which refuses deliveries afterwards.
    func end() { ended.store(true, ordering: .releasing) }

    /// Moves every buffered event, in order, to the end of `events`, without the producers' lock.
    ///
    /// - Returns: How many were moved.
    func take(into events: inout [OrchestrationEvent]) -> Int {
        readerLock.withLock { readerSlots in
            let start = head.load(ordering: .relaxed)
            let end = tail.load(ordering: .acquiring)
            guard end > start else { return 0 }
            let mask = readerSlots.mask
            let slots = readerSlots.pointer
            events.reserveCapacity(events.count + end - start)
            for index in start..<end { events.append((slots + (index & mask)).move()) }
            head.store(end, ordering: .releasing)
            return end - start
        }
    }
}

/// The ring's slots as a take sees them, under the reader's lock: their address (an integer, see ``EventRing``) and
/// mask.
struct RingSlots: Sendable {
    /// The slots' address; `0` before the first delivery.
    var address = 0
    /// The number of slots minus one; `-1` before the first delivery.
    var mask = -1

    /// The slots; only once there are some.
    var pointer: UnsafeMutablePointer<OrchestrationEvent> {
        precondition(address != 0 && mask >= 0, "no slots")
        return UnsafeMutablePointer(bitPattern: address).unsafelyUnwrapped
    }
}
