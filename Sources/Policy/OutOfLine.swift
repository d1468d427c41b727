/// A value kept out of line: a record holds one reference (8 bytes) to it instead of the value itself.
///
/// For fields most records leave empty (an attempt's error, a report's journal head hash or pending approval) or
/// share with many other records (a graph's node reports with the same event counts), so a graph keeping one
/// record per node does not pay for them in every node. An `indirect` case, so the compiler boxes the value:
/// immutable, `Sendable`, compared and hashed by value when the value is. Copying a box copies the reference, so
/// records given the same box share one value. Shared by the library's modules (`package` access); not part of
/// the public API.
package indirect enum OutOfLine<Value: Sendable>: Sendable {
    case value(Value)

    /// The value.
    package var value: Value {
        switch self {
        case .value(let value): value
        }
    }
}

extension OutOfLine: Equatable where Value: Equatable {}
extension OutOfLine: Hashable where Value: Hashable {}

/// A group of rarely set fields kept out of line as one ``OutOfLine`` box, absent (`nil`) when every field is unset,
/// so that records with the same content have the same form.
package protocol OutOfLineFields: Sendable {
    /// The group with every field unset.
    init()
    /// Whether every field is unset.
    var isUnset: Bool { get }
}

extension OutOfLineFields {
    /// The fields boxed, or `nil` when every field is unset.
    package var boxed: OutOfLine<Self>? { isUnset ? nil : .value(self) }

    /// `fields` with `field` set to `value`, boxed (`nil` when every field is then unset).
    package static func boxed<Field>(
        _ fields: OutOfLine<Self>?,
        setting field: WritableKeyPath<Self, Field>,
        to value: Field
    ) -> OutOfLine<Self>? {
        var changed = fields?.value ?? Self()
        changed[keyPath: field] = value
        return changed.boxed
    }
}
