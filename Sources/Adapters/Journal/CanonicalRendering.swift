/// A JSON value written once in RFC 8785 form, for a value that many journal entries carry unchanged (a run's
/// policy, in every run's first entry): sealing such an entry copies these bytes instead of walking the value again.
///
/// A rendering exists only for a value whose stored form (`jsonText()`) is its canonical form: no
/// ``JSONValue/number(_:)``, no integer beyond ±``JSONValue/largestCanonicalInteger``, no `\u00xx` escape and no
/// object whose keys sort differently by UTF-8 and UTF-16 (``CanonicalJSONWriter`` lists these four differences).
/// The same bytes then serve both the hash input and the stored record.
///
/// Sealing uses the bytes only for a member that holds *this very value*: the same storage, not merely an equal
/// value (`==` on strings is Unicode canonical equivalence, under which different bytes compare equal). Any other
/// value is written as usual, so a rendering never changes what is sealed.
package struct CanonicalRendering: Sendable {
    /// The value rendered.
    package let value: JSONValue
    /// The value's RFC 8785 bytes, which are also its stored bytes.
    package let bytes: [UInt8]

    /// Renders `value`, or returns `nil` when its stored form differs from its canonical form, or when it is not an
    /// object or array (only those are told apart by their storage; see ``isRendering(of:)``).
    ///
    /// - Parameter value: The value to render.
    package init?(_ value: JSONValue) {
        switch value {
        case .object, .array: break
        default: return nil
        }
        var writer = CanonicalJSONWriter(recordsPatches: true)
        writer.write(value)
        guard writer.patches.isEmpty, !writer.keyOrdersDiffer else { return nil }
        self.value = value
        self.bytes = writer.output
    }

    /// Whether `candidate` is the rendered value itself: the same case holding the same dictionary or array storage.
    ///
    /// Equal representations mean the same storage, whose contents cannot change while this rendering keeps a
    /// reference to it (a mutation through another reference copies first). A copy with equal contents but its own
    /// storage answers `false`, and is then written as usual: a false answer costs time, never correctness.
    ///
    /// - Parameter candidate: A member's value.
    /// - Returns: Whether the bytes are `candidate`'s canonical and stored form.
    package func isRendering(of candidate: JSONValue) -> Bool {
        switch (value, candidate) {
        case (.object(let rendered), .object(let other)):
            return Self.sameRepresentation(rendered, other)
        case (.array(let rendered), .array(let other)):
            return Self.sameRepresentation(rendered, other)
        default:
            return false
        }
    }

    /// Whether two collection values have the same bits: one reference to the same storage.
    private static func sameRepresentation<Collection>(_ lhs: Collection, _ rhs: Collection) -> Bool {
        withUnsafeBytes(of: lhs) { left in withUnsafeBytes(of: rhs) { right in left.elementsEqual(right) } }
    }
}
