/// Helpers the provider codecs share: JSON bodies, header values, `retry-after` and URL joining.
enum CodecSupport {
    /// The most bytes of a non-JSON error body kept in a ``ModelError`` message.
    static let maximumQuotedBodyBytes = 500

    /// Parses a body as JSON.
    static func parseJSON(_ body: some Collection<UInt8>) -> JSONValue? {
        try? JSONValue(parsing: String(decoding: body, as: UTF8.self))
    }

    /// The body of a request: the JSON text of `value`.
    static func bodyBytes(_ value: JSONValue) -> [UInt8] { Array(value.jsonText().utf8) }

    /// `base` and `path` joined with exactly one slash.
    static func join(_ base: String, _ path: String) -> String {
        var base = Substring(base)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/" + path
    }

    /// The provider's wait before retrying: `retry-after-ms` (milliseconds) wins over `retry-after` (seconds);
    /// both may have a decimal fraction. HTTP-date values of `retry-after` are ignored.
    static func retryAfter(in headers: [TransportHeader]) -> Duration? {
        if let text = TransportHeader.value(of: "retry-after-ms", in: headers),
            let milliseconds = thousandths(of: text)
        {
            return .microseconds(milliseconds)
        }
        if let text = TransportHeader.value(of: "retry-after", in: headers), let milliseconds = thousandths(of: text) {
            return .milliseconds(milliseconds)
        }
        return nil
    }

    /// A non-negative decimal number times 1,000, truncated: `"1.5"` → 1500. Nil for anything else.
    static func thousandths(of text: String) -> Int64? {
        let trimmed = text.utf8.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed()
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenDot = false
        var seenDigit = false
        for byte in trimmed {
            if byte == UInt8(ascii: ".") && !seenDot {
                seenDot = true
                continue
            }
            guard (0x30...0x39).contains(byte) else { return nil }
            seenDigit = true
            let digit = Int64(byte - 0x30)
            if seenDot {
                if fractionDigits < 3 {
                    fraction = fraction * 10 + digit
                    fractionDigits += 1
                }
            } else {
                guard whole < 1_000_000_000_000 else { return nil }
                whole = whole * 10 + digit
            }
        }
        guard seenDigit else { return nil }
        while fractionDigits < 3 {
            fraction *= 10
            fractionDigits += 1
        }
        return whole * 1000 + fraction
    }

    /// The start of a body as text, for an error message.
    static func quoted(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(maximumQuotedBodyBytes), as: UTF8.self)
        return body.count > maximumQuotedBodyBytes ? text + "…" : text
    }

    /// A token count from a usage object's member.
    static func tokens(_ value: JSONValue?) -> Int64? { value?.integerValue }

    /// The error thrown when a response body is not what the provider's API reference says.
    static func invalidResponse(model: String, provider: String, _ detail: String) -> ModelError {
        ModelError(
            code: .invalidResponse,
            model: model,
            message: "the \(provider) response could not be decoded: \(detail); check that the base URL points at a "
                + "\(provider)-compatible endpoint"
        )
    }

    /// The error thrown when a stream ended before the provider's closing event.
    static func truncated(model: String, provider: String, expected: String, end: ServerSentEventStreamEnd)
        -> ModelError
    {
        let leftover =
            if case .truncated(let pending) = end { " (\(pending) bytes after the last complete event)" } else { "" }
        return ModelError(
            code: .truncatedStream,
            model: model,
            message: "the \(provider) stream ended before \(expected)\(leftover); the connection was probably cut: "
                + "retry the call"
        )
    }

    /// The error thrown when a stream's event exceeds the decoder's size limit.
    static func oversizedEvent(model: String, _ error: ServerSentEventError) -> ModelError {
        ModelError(code: .invalidResponse, model: model, message: error.message)
    }
}
