/// A value kept out of line: a report holds one reference (8 bytes) to it instead of the value itself.
///
/// For fields most reports leave empty, so a graph keeping one report per node does not pay for them in every
/// node. An `indirect` case, so the compiler boxes the value: immutable, `Sendable`, compared by value.
indirect enum OutOfLine<Value: Hashable & Sendable>: Hashable, Sendable {
    case value(Value)

    /// The value.
    var value: Value {
        switch self {
        case .value(let value): value
        }
    }
}
