/// A type that supplies its own ``ToolSchema`` instead of having it derived.
///
/// ``ToolSchema/init(deriving:)`` consults this protocol first for every type it meets, at the root and at any
/// depth. Conform a type to it when derivation cannot probe it, and the derivation error says so:
///
/// - dictionaries (`[String: X]`) and other types that read their keys dynamically;
/// - enums with associated values;
/// - recursive types (describe them with ``ToolSchema/definitions`` and ``ToolSchema/reference(to:description:)``);
/// - types whose `init(from:)` validates and refuses the probe value (an empty string, zero, the first case).
///
/// ```swift
/// struct Email: Decodable, ToolSchemaProviding {
///     var address: String
///     init(from decoder: any Decoder) throws {
///         address = try decoder.singleValueContainer().decode(String.self)
///         guard address.contains("@") else { throw DecodingError.dataCorruptedError(...) }
///     }
///     static var toolSchema: ToolSchema {
///         var schema = ToolSchema.string(description: "An e-mail address.", minLength: 3)
///         schema.examples = ["ada@example.com"]
///         return schema
///     }
/// }
/// ```
///
/// When such a type appears inside a derived type (a property, an array element), derivation still needs one
/// instance of it to go on walking the enclosing type's `init(from:)`: it decodes, with ``JSONValueDecoder``, the
/// schema's ``ToolSchema/examples`` in order, then the schema's smallest sample, and uses the first that decodes.
/// If none does, derivation fails with ``SchemaDerivationError/Code/noSampleValue``: add a valid value to
/// ``ToolSchema/examples``. Definitions (``ToolSchema/definitions``) of a nested schema are moved to the root of the
/// derived schema, where references resolve.
///
/// The schema should not change between calls: derivation results are cached per type.
public protocol ToolSchemaProviding {
    /// The JSON Schema of the type's encoded form, used in place of a derived one.
    static var toolSchema: ToolSchema { get }
}
