@_spi(Internals) import AgentPolicy

extension ToolSchema {
    /// The deepest nesting of types that ``init(deriving:)`` walks before it gives up with
    /// ``SchemaDerivationError/Code/depthLimitExceeded``.
    public static let maximumDerivationDepth = 32

    /// Derives the JSON Schema of a `Decodable` type by walking its `init(from:)` with a recording decoder: no
    /// macros, no packages.
    ///
    /// ```swift
    /// struct Ticket: Decodable {
    ///     enum Priority: String, Decodable, CaseIterable { case low, high }
    ///     var title: String
    ///     var priority: Priority
    ///     var tags: [String]
    ///     var due: Int64?
    /// }
    /// let schema = try ToolSchema(deriving: Ticket.self)
    /// // {"properties":{"due":{"maximum":…,"minimum":…,"type":["integer","null"]},
    /// //  "priority":{"enum":["low","high"],"type":"string"},"tags":{"items":{"type":"string"},"type":"array"},
    /// //  "title":{"type":"string"}},"required":["title","priority","tags"],"type":"object"}
    /// ```
    ///
    /// What is derived, for each type met (the root, every property, every element):
    /// - a type conforming to ``ToolSchemaProviding``: its ``ToolSchemaProviding/toolSchema``, consulted first;
    /// - structs and classes: an object with a property per key read; keys read with `decode` are ``required``,
    ///   keys read with `decodeIfPresent` (an `Optional` property) are not, and are nullable (``nullable()``);
    ///   additional properties stay allowed, as synthesized `Decodable` ignores unknown keys;
    /// - `Optional`: the wrapped type's schema, nullable; arrays and sets: ``items`` from one probed element;
    /// - `CaseIterable` enums with `String` or integer raw values: ``allowedValues`` listing every raw value;
    /// - ``JSONValue``: ``any``; `Bool`, `String`, `Double`, `Float`: their kinds; every `Int` and `UInt` width:
    ///   an integer bounded by the type's range (`UInt64`'s and `UInt`'s maximum is written as a number).
    ///
    /// Each type is probed once with one value (an optional present, an array of one element, a string empty, a
    /// number zero, an enum its first case), so a type whose `init(from:)` refuses that value, a dictionary, an enum
    /// with associated values and a recursive type cannot be derived; they conform to ``ToolSchemaProviding``
    /// instead, and the error says so. Definitions from provided schemas are gathered in the result's
    /// ``definitions``.
    ///
    /// Results (and failures) are cached per type behind a lock, so repeated calls are cheap and safe from any task;
    /// the first call for a type runs its `init(from:)` on the calling task.
    ///
    /// - Parameter type: The type whose encoded form the schema describes.
    /// - Throws: ``SchemaDerivationError`` naming the type, the types that led to it and the field:
    ///   ``SchemaDerivationError/Code/recursiveType``, ``SchemaDerivationError/Code/depthLimitExceeded``,
    ///   ``SchemaDerivationError/Code/underivableType``, ``SchemaDerivationError/Code/noSampleValue``,
    ///   ``SchemaDerivationError/Code/conflictingDefinitions`` or
    ///   ``SchemaDerivationError/Code/unresolvedReference``.
    public init<T: Decodable>(deriving type: T.Type) throws(SchemaDerivationError) {
        self = try derivedSchemas.schema(for: T.self)
    }

    /// The schema ``Tool/parameters`` gives a tool that declares none: ``any`` for ``JSONValue`` arguments, else
    /// the derived schema, else a schema refusing every value that carries the failure for registration to report.
    static func parameters<Arguments: Decodable>(for type: Arguments.Type) -> ToolSchema {
        if Arguments.self == JSONValue.self { return .any }
        do {
            return try ToolSchema(deriving: Arguments.self)
        } catch {
            var failed = ToolSchema(kind: .any)
            failed.derivationFailure = error
            return failed
        }
    }
}

/// Derived schemas (and failures) by type, shared by every task.
private let derivedSchemas = DerivedSchemaCache()

/// A lock-guarded table of derivation results. Derivation runs outside the lock: it runs the type's own
/// `init(from:)`; two tasks deriving the same type at once both compute the same result.
private final class DerivedSchemaCache: Sendable {
    private let results = LockedState<[ObjectIdentifier: Result<ToolSchema, SchemaDerivationError>]>([:])

    func schema<T: Decodable>(for type: T.Type) throws(SchemaDerivationError) -> ToolSchema {
        let key = ObjectIdentifier(T.self)
        if let cached = results.withLock({ $0[key] }) { return try cached.get() }
        let result = Result { () throws(SchemaDerivationError) -> ToolSchema in try SchemaRecorder.derive(T.self) }
        results.withLock { $0[key] = result }
        return try result.get()
    }
}
