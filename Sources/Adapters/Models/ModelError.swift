public import AgentPolicy

/// A model call that failed: a typed code, the model's name, the HTTP status when there was one, and whether
/// retrying may help.
///
/// Transient failures (``Code/rateLimited`` with the provider's `retry-after`, ``Code/overloaded``,
/// ``Code/timedOut``, ``Code/serverError``, ``Code/connectionFailed``) are retryable: the governed call retries them
/// under its `RetryPolicy`, each attempt reserved and recorded. The rest are not.
public struct ModelError: Error, Hashable, Codable, Sendable, CustomStringConvertible, RetryableError, CodedError {
    /// What kind of failure it was; an open set, with the library's codes as static members.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let rawValue: String

        /// Creates a code from its name.
        ///
        /// - Parameter rawValue: The name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// HTTP 429: too many requests; retryable, after ``ModelError/retryAfter`` when the provider says.
        public static let rateLimited = Code(rawValue: "rateLimited")
        /// The provider is overloaded (HTTP 503 or 529, or an `overloaded_error`); retryable.
        public static let overloaded = Code(rawValue: "overloaded")
        /// The request timed out at the provider or in the transport (HTTP 408 or 504); retryable.
        public static let timedOut = Code(rawValue: "timedOut")
        /// Another HTTP 5xx; retryable.
        public static let serverError = Code(rawValue: "serverError")
        /// The transport could not reach the provider or lost the connection; retryable.
        public static let connectionFailed = Code(rawValue: "connectionFailed")
        /// HTTP 400 or 422: the provider refused the request as malformed; not retryable.
        public static let invalidRequest = Code(rawValue: "invalidRequest")
        /// HTTP 401 or 403: the key is missing, wrong or lacks permission; not retryable.
        public static let authenticationFailed = Code(rawValue: "authenticationFailed")
        /// HTTP 404: no such model or endpoint; not retryable.
        public static let notFound = Code(rawValue: "notFound")
        /// The request's estimated input does not fit the model's context window; refused before the call.
        public static let contextWindowExceeded = Code(rawValue: "contextWindowExceeded")
        /// The provider's bytes could not be decoded into a response; not retryable.
        public static let invalidResponse = Code(rawValue: "invalidResponse")
        /// A streamed response ended before the provider said it was complete; retryable.
        public static let truncatedStream = Code(rawValue: "truncatedStream")
        /// The account's quota or credit is used up (OpenAI's `insufficient_quota`, Anthropic's `billing_error`), even
        /// when the status is 429; not retryable: waiting does not help, topping up does.
        public static let quotaExceeded = Code(rawValue: "quotaExceeded")
        /// Any other HTTP 4xx; not retryable.
        public static let requestFailed = Code(rawValue: "requestFailed")

        /// The code's name.
        public var description: String { rawValue }

        /// Whether failures with this code are transient.
        public var isTransient: Bool {
            [Self.rateLimited, .overloaded, .timedOut, .serverError, .connectionFailed, .truncatedStream].contains(self)
        }
    }

    /// What kind of failure it was.
    public var code: Code
    /// The model's name.
    public var model: String
    /// The HTTP status, when the failure came with one.
    public var status: Int?
    /// How long the provider asked to wait before retrying (`retry-after`), if it said.
    public var retryAfter: Duration?
    /// What went wrong and what to do, in words.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of failure it was.
    ///   - model: The model's name.
    ///   - status: The HTTP status, if any.
    ///   - retryAfter: The provider's `retry-after`, if any.
    ///   - message: What went wrong and what to do.
    public init(code: Code, model: String, status: Int? = nil, retryAfter: Duration? = nil, message: String) {
        self.code = code
        self.model = model
        self.status = status
        self.retryAfter = retryAfter
        self.message = message
    }

    /// The code that an HTTP error status maps to: 429 rate limited; 408 and 504 timed out; 503 and 529 overloaded;
    /// other 5xx server error; 401 and 403 authentication; 404 not found; 400 and 422 invalid request; other 4xx
    /// request failed.
    ///
    /// - Parameter status: An HTTP status of 400 or more.
    /// - Returns: The code.
    public static func code(forStatus status: Int) -> Code {
        switch status {
        case 429: .rateLimited
        case 408, 504: .timedOut
        case 503, 529: .overloaded
        case 500...599: .serverError
        case 401, 403: .authenticationFailed
        case 404: .notFound
        case 400, 422: .invalidRequest
        default: .requestFailed
        }
    }

    /// Whether retrying may help: true for transient codes.
    public var isRetryable: Bool { code.isTransient }

    /// The code's name, for reports.
    public var errorCode: String { code.rawValue }

    /// A one-line description: the code, the model, the status and the message.
    public var description: String {
        "ModelError.\(code) (\(model)\(status.map { ", HTTP \($0)" } ?? "")): \(message)"
    }

    private enum CodingKeys: String, CodingKey {
        case code, model, status, retryAfterNanoseconds, message
    }

    /// Decodes an error; `retryAfterNanoseconds` holds the retry-after as whole nanoseconds.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` for a missing field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(Code.self, forKey: .code)
        model = try container.decode(String.self, forKey: .model)
        status = try container.decodeIfPresent(Int.self, forKey: .status)
        retryAfter = try container.decodeIfPresent(Nanoseconds.self, forKey: .retryAfterNanoseconds)?.duration
        message = try container.decode(String.self, forKey: .message)
    }

    /// Encodes the error; the retry-after as whole nanoseconds.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(retryAfter.map { Nanoseconds($0) }, forKey: .retryAfterNanoseconds)
        try container.encode(message, forKey: .message)
    }
}
