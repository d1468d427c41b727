/// How a reader that found its buffer empty watches for the next delivery before it suspends, adapted to what
/// watching has been finding.
///
/// A watch has two parts. First the reader checks the delivery flag in a loop (``polls`` checks): that pays off
/// when the run delivering is running at the same time on another CPU, since a reader that keeps up then collects
/// the run's next events without a suspension and a wake-up each. When the run shares one CPU with the reader (a
/// process pinned to one CPU, or every other CPU busy) such a loop can never see a delivery, since the run cannot
/// deliver while the reader holds the CPU; it only delays the run. So a loop that found a delivery keeps the full
/// length, and each one in a row that found none checks a quarter as long, down to none; every
/// ``probeInterval``-th miss in a row checks the full length again, so a reader that lost its loop while a run was
/// slow gets it back once the run is fast again. Then the reader yields its CPU up to ``yields`` times, checking the
/// flag after each: a run on the same CPU delivers meanwhile (for as long as the scheduler lets it), and the reader
/// collects those events in one take instead of being woken, and preempting the run, for each one. On an otherwise
/// idle CPU a yield returns at once, so a reader whose run is slow or done suspends after a few microseconds.
///
/// A value type that the stream's iterator owns (one reader per iterator): no lock, no atomic.
struct ReaderWatch: Sendable {
    /// The longest loop, in checks of the delivery flag: a few microseconds, about what suspending and being woken
    /// costs.
    static let longest = 2_000
    /// How often, in misses in a row, the loop is the full length again.
    static let probeInterval = 32
    /// How many times the reader yields its CPU, checking the flag after each, before it suspends.
    static let yields = 4

    /// Loops in a row that found no delivery.
    private(set) var missesInARow = 0

    /// How many checks the next loop makes.
    var polls: Int {
        if missesInARow == 0 || missesInARow % Self.probeInterval == 0 { return Self.longest }
        return Self.longest >> min(2 * missesInARow, Int.bitWidth - 2)
    }

    /// Records what a loop found.
    ///
    /// - Parameter foundDelivery: Whether a delivery came during the loop.
    mutating func record(foundDelivery: Bool) {
        missesInARow = foundDelivery ? 0 : missesInARow + 1
    }
}
