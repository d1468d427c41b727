/// A journal entry's few fields, name and value, as a list: what a run's entry carries besides its `kind` and `at`.
///
/// An entry holds none to eight fields. A dictionary allocated its storage and hashed every key, once when the
/// entry was built and again for each look-up while it was sealed, fed back or compared; a list looks a key up by
/// comparing it with a few short keys (equal literals compare by their bits) and is built, appended to and walked
/// without hashing. The API is a dictionary's where the journal uses one: look-up and assignment by key (`nil`
/// removes), `count`, `isEmpty`, `keys`, iteration, a dictionary literal, equality and hashing that do not depend on
/// the order of the fields.
///
/// Keys are distinct: assigning to a key that is present replaces its value in place, and a literal may not repeat
/// a key (as a dictionary literal may not). The order of the fields is the order they were added in; it changes
/// nothing a journal stores (sealing writes members in RFC 8785 order).
package struct EntryFields: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// A field: its name and value.
    package typealias Element = (key: String, value: JSONValue)

    /// The fields in the order they were added; keys distinct.
    private var pairs: [(String, JSONValue)]

    /// No fields.
    package init() { pairs = [] }

    /// A dictionary's members as fields (in the dictionary's order).
    ///
    /// - Parameter dictionary: The members.
    package init(_ dictionary: [String: JSONValue]) {
        pairs = []
        pairs.reserveCapacity(dictionary.count)
        for (key, value) in dictionary { pairs.append((key, value)) }
    }

    /// The fields of a literal, in its order; its keys must differ.
    ///
    /// - Parameter elements: The fields.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        // The literal's array is the storage: no second array.
        pairs = elements
        assert(Self.keysDiffer(pairs), "a fields literal repeats a key")
    }

    /// How many fields.
    package var count: Int { pairs.count }

    /// Whether there are none.
    package var isEmpty: Bool { pairs.isEmpty }

    /// The fields' names, in order.
    package var keys: [String] { pairs.map(\.0) }

    /// The fields as a dictionary (for JSON objects and the general seal).
    package var dictionary: [String: JSONValue] {
        var dictionary: [String: JSONValue] = Dictionary(minimumCapacity: pairs.count)
        for (key, value) in pairs { dictionary[key] = value }
        return dictionary
    }

    /// The value of the field named `key`, or `nil`; assigning `nil` removes the field, assigning a value to a field
    /// that is present replaces its value in place, and to one that is not appends it.
    package subscript(key: String) -> JSONValue? {
        get {
            for pair in pairs where pair.0 == key { return pair.1 }
            return nil
        }
        set {
            let index = pairs.firstIndex { $0.0 == key }
            switch (index, newValue) {
            case (let index?, let value?): pairs[index].1 = value
            case (let index?, nil): pairs.remove(at: index)
            case (nil, let value?): pairs.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// Appends a field whose key the caller knows is not present (a reader appending the members of one JSON
    /// object, whose keys differ).
    ///
    /// - Parameters:
    ///   - key: The field's name, not among the fields.
    ///   - value: Its value.
    package mutating func appendNew(_ key: String, _ value: JSONValue) {
        pairs.append((key, value))
    }

    /// Reserves room for `count` fields.
    ///
    /// - Parameter count: How many fields the storage should hold without growing.
    package mutating func reserveCapacity(_ count: Int) { pairs.reserveCapacity(count) }

    /// Iterates the fields in order.
    package struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<[(String, JSONValue)]>

        /// The next field.
        package mutating func next() -> Element? {
            guard let (key, value) = base.next() else { return nil }
            return (key, value)
        }
    }

    /// Iterates the fields in order.
    package func makeIterator() -> Iterator { Iterator(base: pairs.makeIterator()) }

    /// The number of fields.
    package var underestimatedCount: Int { pairs.count }

    /// Whether both hold the same fields with equal values, in any order.
    package static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.pairs.count == rhs.pairs.count else { return false }
        for (key, value) in lhs.pairs where rhs[key] != value { return false }
        return true
    }

    /// Hashes the fields independently of their order (as a dictionary does: each field hashed apart, the hashes
    /// combined by XOR).
    package func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in pairs {
            var fieldHasher = Hasher()
            fieldHasher.combine(key)
            fieldHasher.combine(value)
            combined ^= fieldHasher.finalize()
        }
        hasher.combine(pairs.count)
        hasher.combine(combined)
    }

    /// The fields as a JSON object's text, keys sorted.
    package var description: String { JSONValue.object(dictionary).jsonText() }

    /// Whether no two of `pairs` share a key.
    private static func keysDiffer(_ pairs: [(String, JSONValue)]) -> Bool {
        for index in pairs.indices {
            for other in pairs[(index + 1)...] where other.0 == pairs[index].0 { return false }
        }
        return true
    }
}
