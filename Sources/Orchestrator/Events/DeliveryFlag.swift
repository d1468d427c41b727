import Synchronization

/// The flag a run raises when it delivers to a subscriber and the subscriber's polling reader lowers before it looks,
/// alone on its cache lines.
///
/// A reader that keeps up checks this flag in a loop while the run delivering to it works on another CPU. Inside
/// the subscriber object the flag shared a cache line with the object's reference count, which the run changes for
/// every event it delivers: each change had to take the line back from the reader's CPU. Here the flag sits
/// ``padding`` bytes after this object's header and ``padding`` bytes before its end, so nothing else that either
/// side writes (this object's header, a neighbouring allocation) shares its line. A delivery raises the flag only
/// when it is down and the reader lowers it only when it is up: a run delivering several events while the reader
/// looks reads the line the reader shares with it instead of taking it over for each event.
final class DeliveryFlag: Sendable {
    /// The bytes kept free on each side of the flag: a cache line.
    static let padding = 64

    /// Fills the cache line after the object's header, so that the flag starts on the next one.
    private let before: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    private let flag = Atomic<Bool>(false)
    /// Fills a cache line after the flag, so that the next allocation does not share the flag's line.
    private let after: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// Whether a delivery came since the reader last lowered the flag (acquiring the delivery's writes).
    var isRaised: Bool { flag.load(ordering: .acquiring) }

    /// Raises the flag after a delivery; a flag already up is only read, not written.
    func raise() {
        if !flag.load(ordering: .relaxed) { flag.store(true, ordering: .releasing) }
    }

    /// Lowers the flag before the reader looks at the buffer; a flag already down is only read, not written.
    func lower() {
        if flag.load(ordering: .relaxed) { flag.store(false, ordering: .relaxed) }
    }

    /// The flag's address, for the layout's test (where the flag sits in this object's allocation).
    var flagAddress: Int { withUnsafePointer(to: flag) { Int(bitPattern: $0) } }
}
