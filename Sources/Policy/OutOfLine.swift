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
