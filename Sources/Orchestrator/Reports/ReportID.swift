/// An id as a report stores it: a canonical UUID text (36 characters, lower-case hex, as
/// ``ExecutionIDGenerator/seeded(_:)`` and the default generator make) as its 128 bits, any other text as is.
///
/// A UUID text does not fit in a small string, so each report of a graph kept a 36-character string on the heap
/// (80 bytes with its header, per node at 100,000 nodes). Its bits fit inline, and the text is made again when
/// read: the same characters, so the id reads, compares, hashes and encodes as before.
struct ReportID: Hashable, Sendable {
    private enum Storage: Hashable, Sendable {
        case uuid(UInt64, UInt64)
        case text(String)
    }

    private let storage: Storage

    /// The id of `text`.
    init(_ text: String) {
        storage = Self.uuidBits(of: text).map { .uuid($0.high, $0.low) } ?? .text(text)
    }

    /// Whether the id is stored as its 128 bits rather than as text.
    var isCompact: Bool {
        if case .uuid = storage { return true }
        return false
    }

    /// The id's text.
    var text: String {
        switch storage {
        case .text(let text): text
        case .uuid(let high, let low): Self.uuidText(high, low)
        }
    }

    /// The bits of a canonical UUID text: 36 characters, dashes at 8, 13, 18 and 23, lower-case hex elsewhere;
    /// `nil` for any other text (which then keeps its exact characters).
    private static func uuidBits(of text: String) -> (high: UInt64, low: UInt64)? {
        guard text.utf8.count == 36 else { return nil }
        var words: (high: UInt64, low: UInt64) = (0, 0)
        var nibbles = 0
        for (position, byte) in text.utf8.enumerated() {
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if nibbles < 16 {
                words.high = words.high << 4 | UInt64(value)
            } else {
                words.low = words.low << 4 | UInt64(value)
            }
            nibbles += 1
        }
        return words
    }

    /// The canonical text of a UUID's bits (lower-case hex, dashes after 8, 12, 16 and 20 digits); also the text
    /// ``ExecutionIDGenerator`` makes.
    static func uuidText(_ high: UInt64, _ low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            let hex: StaticString = "0123456789abcdef"
            var count = 0
            for (index, word) in [high, low].enumerated() {
                for nibble in 0..<16 {
                    let position = index * 16 + nibble
                    if position == 8 || position == 12 || position == 16 || position == 20 {
                        buffer[count] = UInt8(ascii: "-")
                        count += 1
                    }
                    buffer[count] = hex.utf8Start[Int((word >> UInt64(60 - nibble * 4)) & 0xF)]
                    count += 1
                }
            }
            return count
        }
    }
}
