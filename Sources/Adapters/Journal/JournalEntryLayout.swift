/// The members an entry of one kind can carry, put in RFC 8785 order once: sealing such an entry writes its members
/// in this order, with no sort (see ``JournalChain/append(_:adding:layout:rendered:version:)``).
///
/// A layout holds the envelope fields and a fixed set of keys, sorted by UTF-16 code units when the layout is made.
/// Its keys are plain ASCII that needs no escape, so their UTF-8 and UTF-16 orders agree and each key's `"key":`
/// bytes are written once, here. An entry that carries a key outside its layout is sealed the general way: a layout
/// can cost time, never change bytes.
///
/// A class, so handing a kind's layout to each entry's seal is one retain, not one per array it holds.
package final class JournalEntryLayout: Sendable {
    /// One member's place: trivial, so walking the slots retains nothing.
    enum Slot: Sendable {
        /// An envelope field, written by the chain.
        case envelope(JournalChain.EnvelopeField)
        /// An entry member: its index in ``keys`` and ``keyRanges``.
        case member(Int)
    }

    /// The slots in RFC 8785 order.
    let slots: [Slot]
    /// The entry members' keys, by index.
    let keys: [String]
    /// Every member's `"key":` bytes, one after another.
    let keyText: [UInt8]
    /// Where each member's `"key":` bytes are in ``keyText``, by index.
    let keyRanges: [Range<Int>]

    /// A layout for entries whose members are among `keys`, or `nil` when a key is an envelope field, repeats, is
    /// empty, or holds a byte other than printable ASCII, `"` and `\` excepted.
    ///
    /// - Parameter keys: Every key an entry of the kind may carry (the entry's own members and any added ones).
    package init?(keys: [String]) {
        var sorted: [(key: String, slot: Slot)] = []
        var keyText: [UInt8] = []
        var keyRanges: [Range<Int>] = []
        for key in keys {
            let utf8 = Array(key.utf8)
            guard !utf8.isEmpty, utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }),
                JournalChain.EnvelopeField(rawValue: key) == nil, !sorted.contains(where: { $0.key == key })
            else { return nil }
            sorted.append((key, .member(keyRanges.count)))
            let start = keyText.count
            keyText.append(UInt8(ascii: "\""))
            keyText.append(contentsOf: utf8)
            keyText.append(contentsOf: #"":"#.utf8)
            keyRanges.append(start..<keyText.count)
        }
        for field in [JournalChain.EnvelopeField.hash, .position, .previousHash, .version] {
            sorted.append((field.rawValue, .envelope(field)))
        }
        // ASCII keys: byte order is UTF-16 order.
        sorted.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        self.slots = sorted.map(\.slot)
        self.keys = keys
        self.keyText = keyText
        self.keyRanges = keyRanges
    }
}
