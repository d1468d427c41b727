extension JSONValue: Codable {
    /// Decodes a value from a single-value container.
    ///
    /// With a generic decoder the kinds are tried in the order null, Boolean, `Int64`, `Double`, string, array,
    /// object, so integral numbers stay ``integer(_:)``. ``JSONValueDecoder`` returns stored values unchanged.
    /// Foundation's `JSONEncoder` writes the `Double` `1.0` as `1` (and `-0.0` as `-0`), so a whole-valued
    /// ``number(_:)`` that fits in `Int64` comes back from a Foundation round trip as ``integer(_:)``, `-0.0` as
    /// `.integer(0)`; ``jsonText(prettyPrinted:)`` with ``init(parsing:)``, and ``JSONValueEncoder`` with
    /// ``JSONValueDecoder``, keep the case and the sign. See ``JSONValue`` for the full rule.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.typeMismatch` when the input is none of the JSON kinds.
    public init(from decoder: any Decoder) throws {
        if let direct = decoder as? JSONValueDecoderImpl {
            self = direct.value
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else if let members = try? container.decode([String: JSONValue].self) {
            self = .object(members)
        } else {
            throw DecodingError.typeMismatch(
                JSONValue.self,
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "Not a JSON value.")
            )
        }
    }

    /// Encodes the value into a single-value container.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws, for example for a non-finite ``number(_:)``.
    public func encode(to encoder: any Encoder) throws {
        if let direct = encoder as? JSONValueEncoderImpl {
            direct.node.set(self)
            return
        }
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let bool): try container.encode(bool)
        case .integer(let integer): try container.encode(integer)
        case .number(let number): try container.encode(number)
        case .string(let string): try container.encode(string)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }

    /// Encodes `value` with a ``JSONValueEncoder``.
    ///
    /// - Parameter value: The value to encode.
    /// - Throws: `EncodingError.invalidValue` for values JSON cannot hold (see ``JSONValueEncoder``).
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONValueEncoder().encode(value)
    }

    /// Decodes this value as `type` with a ``JSONValueDecoder``.
    ///
    /// - Parameter type: The type to decode.
    /// - Returns: The decoded value.
    /// - Throws: `DecodingError` with the coding path of the offending value.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try JSONValueDecoder().decode(type, from: self)
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional ``JSONValue`` so that a present `null` stays ``JSONValue/null`` and only a missing key
    /// gives `nil`.
    ///
    /// Synthesized `Decodable` conformances call this overload for `JSONValue?` properties, so a value that was
    /// `.null` round-trips as `.null` instead of collapsing into `nil`.
    ///
    /// - Parameters:
    ///   - type: ``JSONValue``.
    ///   - key: The key to read.
    /// - Returns: The value, `.null` for a present `null`, or `nil` when the key is absent.
    /// - Throws: `DecodingError` if the value is not valid JSON content.
    public func decodeIfPresent(_ type: JSONValue.Type, forKey key: Key) throws -> JSONValue? {
        guard contains(key) else { return nil }
        return try decode(JSONValue.self, forKey: key)
    }
}

extension KeyedEncodingContainer {
    /// Encodes an optional ``JSONValue``: `nil` leaves the key out, ``JSONValue/null`` writes `null`.
    ///
    /// The pair of ``KeyedDecodingContainer/decodeIfPresent(_:forKey:)``.
    ///
    /// - Parameters:
    ///   - value: The value to encode, if any.
    ///   - key: The key to write.
    /// - Throws: The encoder's error.
    public mutating func encodeIfPresent(_ value: JSONValue?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value, forKey: key)
    }
}
