/// The members an entry of one kind can carry, put in RFC 8785 order once: sealing such an entry writes its members
/// in this order, with no sort (see ``JournalChain/append(_:adding:layout:rendered:version:)``).
///
/// A layout holds the envelope fields and a fixed set of keys, sorted by UTF-16 code units when the layout is made.
/// Its keys are plain ASCII that needs no escape, so their UTF-8 and UTF-16 orders agree and each key's `"key":`
/// bytes are written once, here. An entry that carries a key outside its layout is sealed the general way: a layout
/// can cost time, never change bytes.
package struct JournalEntryLayout: Sendable {
    /// One member's place.
    enum Slot: Sendable {
        /// An envelope field, written by the chain.
        case envelope(JournalChain.EnvelopeField)
        /// An entry member: its key and its `"key":` bytes.
        case member(key: String, bytes: [UInt8])
    }

    /// The slots in RFC 8785 order.
    let slots: [Slot]

    /// A layout for entries whose members are among `keys`, or `nil` when a key is an envelope field, repeats, is
    /// empty, or holds a byte other than printable ASCII, `"` and `\` excepted.
    ///
    /// - Parameter keys: Every key an entry of the kind may carry (the entry's own members and any added ones).
    package init?(keys: [String]) {
        var slots: [(key: String, slot: Slot)] = []
        for key in keys {
            let utf8 = Array(key.utf8)
            guard !utf8.isEmpty, utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }),
                JournalChain.EnvelopeField(rawValue: key) == nil, !slots.contains(where: { $0.key == key })
            else { return nil }
            slots.append((key, .member(key: key, bytes: [UInt8(ascii: "\"")] + utf8 + Array(#"":"#.utf8))))
        }
        for field in [JournalChain.EnvelopeField.hash, .position, .previousHash, .version] {
            slots.append((field.rawValue, .envelope(field)))
        }
        // ASCII keys: byte order is UTF-16 order.
        slots.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        self.slots = slots.map(\.slot)
    }
}
