/// The rules of an ``MCPClient``'s connection, as a value: phases, request ids, pending requests and what each
/// message from the server means.
///
/// Every mutating method is synchronous and returns the ``Effects`` to perform (messages to send, waiters to resume,
/// progress to report); the client performs them after releasing its lock. `Waiter` is whatever the driver resumes
/// (a continuation in ``MCPClient``, a plain value in tests), so the machine is tested without concurrency.
package struct MCPClientState<Waiter: Sendable>: Sendable {
    /// Where the connection is.
    package enum Phase: Hashable, Sendable {
        /// Not started.
        case idle
        /// `initialize` sent, its answer awaited.
        case initializing
        /// Initialized: requests may be sent.
        case ready
        /// Ended; every request fails with the closing error.
        case closed
    }

    /// What the driver does after a transition, in this order: send, report progress, resume waiters.
    package struct Effects: Sendable {
        /// Messages to send, in order.
        package var messages: [MCPMessage] = []
        /// Progress notifications for the waiters of pending requests.
        package var progress: [(Waiter, MCPProgress)] = []
        /// Waiters to resume, with their outcome.
        package var resumptions: [(Waiter, MCPRequestOutcome)] = []
        /// Whether the server said its tool list changed.
        package var toolsListChanged = false
    }

    private struct Pending: Sendable {
        var method: String
        var waiter: Waiter
    }

    /// Where the connection is.
    package private(set) var phase: Phase = .idle
    /// Counters of what the server sent that the client could not use.
    package private(set) var diagnostics = MCPClientDiagnostics()
    /// The error every later request fails with, once closed.
    package private(set) var closingError: MCPError?
    private let serverLabel: String
    private let maximumMessageBytes: Int
    private var nextID: Int64 = 1
    private var pending: [MCPRequestID: Pending] = [:]
    private var unregistered: Set<MCPRequestID> = []
    private var cancelledEarly: Set<MCPRequestID> = []

    /// Creates the machine of a connection not yet started.
    ///
    /// - Parameters:
    ///   - serverLabel: The server's name in error messages.
    ///   - maximumMessageBytes: The longest message accepted, in UTF-8 bytes.
    package init(serverLabel: String, maximumMessageBytes: Int) {
        self.serverLabel = serverLabel
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// The number of requests awaiting an answer.
    package var pendingCount: Int { pending.count }

    /// Starts the lifecycle: `idle` → `initializing`.
    ///
    /// - Returns: `nil`, or the misuse error when the client was started before.
    package mutating func begin() -> MCPError? {
        guard phase == .idle else {
            return MCPError(
                code: .invalidState,
                method: "initialize",
                message: "the client of \(serverLabel) was started already; make a new client to reconnect"
            )
        }
        phase = .initializing
        return nil
    }

    /// Makes the id of the next request; the request is registered by ``send(id:method:params:waiter:)``.
    ///
    /// - Returns: A fresh id.
    package mutating func allocateID() -> MCPRequestID {
        let id = MCPRequestID.number(nextID)
        nextID += 1
        unregistered.insert(id)
        return id
    }

    /// Registers a request and returns the message to send, or resumes `waiter` at once when it cannot be sent.
    ///
    /// - Parameters:
    ///   - id: The id from ``allocateID()``.
    ///   - method: The method.
    ///   - params: The parameters, if any.
    ///   - waiter: Resumed with the request's outcome.
    /// - Returns: The request to send, or the waiter's resumption.
    package mutating func send(id: MCPRequestID, method: String, params: JSONValue?, waiter: Waiter) -> Effects {
        var effects = Effects()
        unregistered.remove(id)
        if cancelledEarly.remove(id) != nil {
            effects.resumptions.append((waiter, .cancelled))
        } else if phase == .closed {
            effects.resumptions.append((waiter, .failed(closed(for: method))))
        } else if phase != .ready && method != "initialize" {
            let error = MCPError(
                code: .invalidState,
                method: method,
                message: "\(method) sent to \(serverLabel) before the connection was initialized: await start() first"
            )
            effects.resumptions.append((waiter, .failed(error)))
        } else {
            pending[id] = Pending(method: method, waiter: waiter)
            effects.messages.append(.request(id: id, method: method, params: params))
        }
        return effects
    }

    /// The `initialize` result was accepted: the connection is ready and the server is told so.
    ///
    /// - Returns: The `notifications/initialized` message, unless the connection has closed meanwhile.
    package mutating func initialized() -> Effects {
        guard phase == .initializing else { return Effects() }
        phase = .ready
        return Effects(messages: [.notification(method: "notifications/initialized", params: nil)])
    }

    /// Cancels a request: its waiter gets ``MCPRequestOutcome/cancelled`` and, if `notify`, the server
    /// `notifications/cancelled`. A request not yet registered is cancelled when it is.
    ///
    /// - Parameters:
    ///   - id: The request's id.
    ///   - reason: Why, for the server.
    ///   - notify: Whether to tell the server (never for `initialize`, which the specification forbids cancelling).
    /// - Returns: The resumption and the notification, if the request was pending.
    package mutating func cancel(_ id: MCPRequestID, reason: String, notify: Bool = true) -> Effects {
        var effects = Effects()
        if let request = pending.removeValue(forKey: id) {
            effects.resumptions.append((request.waiter, .cancelled))
            if notify && phase != .closed {
                let params: JSONValue = ["requestId": id.json, "reason": .string(reason)]
                effects.messages.append(.notification(method: "notifications/cancelled", params: params))
            }
        } else if unregistered.contains(id) {
            cancelledEarly.insert(id)
        }
        return effects
    }

    /// Reads one message's text from the server.
    ///
    /// - Parameter text: The message (a line without its newline).
    /// - Returns: What it causes; an oversized message ends the connection (later messages are ignored).
    package mutating func received(_ text: String) -> Effects {
        guard phase != .closed else { return Effects() }
        let size = text.utf8.count
        if size > maximumMessageBytes {
            return connectionEnded(
                MCPError(
                    code: .messageTooLarge,
                    message: "\(serverLabel) sent a message of \(size) bytes, more than the maximum of "
                        + "\(maximumMessageBytes) (MCPClient.Configuration.maximumMessageBytes); the connection "
                        + "was closed. Raise the limit if the server's messages are legitimately this large."
                )
            )
        }
        do {
            return receive(try MCPMessage(parsing: text))
        } catch {
            diagnostics.malformedMessages += 1
            diagnostics.lastMalformedMessage = error.message
            return Effects()
        }
    }

    /// Applies one message from the server.
    ///
    /// - Parameter message: The message.
    /// - Returns: What it causes.
    package mutating func receive(_ message: MCPMessage) -> Effects {
        var effects = Effects()
        guard phase != .closed else { return effects }
        switch message {
        case .result(let id, let result):
            if let request = pending.removeValue(forKey: id) {
                effects.resumptions.append((request.waiter, .result(result)))
            } else {
                diagnostics.unmatchedResponses += 1
            }
        case .error(let id, let object):
            if let id, let request = pending.removeValue(forKey: id) {
                let error = MCPError(
                    code: .serverError,
                    method: request.method,
                    rpcCode: object.code,
                    message: "\(serverLabel) answered \(request.method) with error \(object.code): \(object.message)"
                        + (object.data.map { " (data: \($0.jsonText()))" } ?? "")
                )
                effects.resumptions.append((request.waiter, .failed(error)))
            } else {
                diagnostics.unmatchedResponses += 1
            }
        case .request(let id, let method, _):
            if method == "ping" {
                effects.messages.append(.result(id: id, result: [:]))
            } else {
                // The client declares no capabilities (no sampling, roots or elicitation).
                diagnostics.refusedServerRequests += 1
                let error = MCPErrorObject(
                    code: MCPErrorObject.methodNotFoundCode,
                    message: "Method not found: this client does not support \(method)"
                )
                effects.messages.append(.error(id: id, error))
            }
        case .notification(let method, let params):
            switch method {
            case "notifications/progress":
                guard let token = params?["progressToken"].flatMap(MCPRequestID.init(json:)),
                    let request = pending[token], let progress = MCPProgress(json: params ?? .null)
                else { break }
                effects.progress.append((request.waiter, progress))
            case "notifications/tools/list_changed":
                diagnostics.toolListChanges += 1
                effects.toolsListChanged = true
            default:
                break  // logging, resource and other notifications are not used by this client
            }
        }
        return effects
    }

    /// The connection ended: every pending request fails, and so does every later one.
    ///
    /// - Parameter error: Why, or `nil` when the client closed it.
    /// - Returns: The pending waiters' resumptions, by id.
    package mutating func connectionEnded(_ error: MCPError?) -> Effects {
        var effects = Effects()
        guard phase != .closed else { return effects }
        phase = .closed
        let reason =
            error
            ?? MCPError(
                code: .connectionClosed,
                message: "the connection to \(serverLabel) was closed; make a new client to reconnect"
            )
        closingError = reason
        let ids = pending.keys.sorted { $0.description < $1.description }
        for id in ids {
            guard let request = pending.removeValue(forKey: id) else { continue }
            effects.resumptions.append((request.waiter, .failed(closed(for: request.method))))
        }
        return effects
    }

    /// The closing error, naming `method`.
    private func closed(for method: String) -> MCPError {
        var error =
            closingError
            ?? MCPError(code: .connectionClosed, message: "the connection to \(serverLabel) is closed")
        error.method = method
        return error
    }
}

/// What a server sent that an ``MCPClient`` could not use, counted (read ``MCPClient/diagnostics``).
public struct MCPClientDiagnostics: Hashable, Sendable {
    /// Lines that were not JSON-RPC 2.0 messages (skipped).
    public var malformedMessages = 0
    /// Why the last malformed line was refused.
    public var lastMalformedMessage: String?
    /// Responses whose id matched no pending request (skipped).
    public var unmatchedResponses = 0
    /// `notifications/tools/list_changed` received.
    public var toolListChanges = 0
    /// Requests from the server other than `ping`, answered with "method not found".
    public var refusedServerRequests = 0

    /// Creates empty counters.
    public init() {}
}

/// A `notifications/progress` of a pending request.
public struct MCPProgress: Hashable, Sendable {
    /// Progress so far; increases with every notification.
    public var progress: Double
    /// The total, when known.
    public var total: Double?
    /// A human-readable message, if any.
    public var message: String?

    /// Creates a progress value.
    ///
    /// - Parameters:
    ///   - progress: Progress so far.
    ///   - total: The total, when known.
    ///   - message: A human-readable message.
    public init(progress: Double, total: Double? = nil, message: String? = nil) {
        self.progress = progress
        self.total = total
        self.message = message
    }

    /// Reads the params of a progress notification, or `nil` without a numeric `progress`.
    ///
    /// - Parameter json: The notification's `params`.
    public init?(json: JSONValue) {
        guard let progress = json["progress"]?.doubleValue else { return nil }
        self.init(progress: progress, total: json["total"]?.doubleValue, message: json["message"]?.stringValue)
    }
}

/// How a request of an ``MCPClient`` ended, for its waiter.
package enum MCPRequestOutcome: Sendable {
    /// The server's `result`.
    case result(JSONValue)
    /// The server's error, the connection's end, or misuse.
    case failed(MCPError)
    /// The request was cancelled by its caller.
    case cancelled
}
