import AgentPolicy

/// A type-erased registered tool: checks and decodes arguments, runs the body, encodes the result.
///
/// Blame is kept apart: arguments that fail the schema are the caller's fault
/// (``ToolError/Code/invalidArguments``); arguments that pass the schema but do not decode into the tool's
/// `Arguments` type are the tool's (``ToolError/Code/schemaMismatch``).
///
/// A final class of constants rather than a structure: a governed call looks its tool up once per call, and copying
/// a reference out of the registry is one retain where copying the structure retained each of its fields (names,
/// schema, closures).
package final class RegisteredTool: Sendable {
    /// The tool's name, description and schema.
    package let description: ToolDescription
    /// Whether the tool declares that every call needs approval (``Tool/requiresApproval``).
    package let requiresApproval: Bool
    private let body: @Sendable (JSONValue) async throws -> JSONValue
    private let decodeArguments: (@Sendable (JSONValue) throws -> Void)?
    private let argumentsType: String

    /// Wraps `tool`, checking at once that its schema and its `Arguments` type agree.
    ///
    /// - Parameter tool: The tool.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/schemaDerivationFailed`` when the tool declares no
    ///   parameters and its `Arguments` schema cannot be derived; ``ToolError/Code/schemaMismatch`` when the smallest
    ///   arguments the schema accepts do not decode into the tool's `Arguments` type.
    package init<T: Tool>(_ tool: T) throws(ToolError) {
        let name = tool.name
        requiresApproval = tool.requiresApproval
        let description = ToolDescription(name: name, description: tool.description, parameters: tool.parameters)
        self.description = description
        let argumentsType = typeName(T.Arguments.self)
        self.argumentsType = argumentsType
        if let failure = description.parameters.derivationFailure {
            throw ToolError(
                code: .schemaDerivationFailed,
                tool: name,
                field: failure.field,
                message: "tool \"\(name)\" declares no parameters, and the schema of its Arguments type "
                    + "\(argumentsType) cannot be derived: \(failure.message); or declare the tool's `parameters`"
            )
        }
        if let closureTool = tool as? ClosureTool {
            // The closure is the whole tool: calling it directly saves the levels (and the executor hop after
            // each) of a wrapping closure, the protocol witness and `ClosureTool.call`.
            body = closureTool.body
            decodeArguments = nil
            return
        }
        if T.Arguments.self == JSONValue.self, T.Output.self == JSONValue.self {
            body = { arguments in
                // Both casts succeed: the types were just compared.
                try await tool.call(arguments: arguments as! T.Arguments) as! JSONValue
            }
            decodeArguments = nil
            return
        }
        let outputType = typeName(T.Output.self)
        body = { arguments in
            let decoded = try JSONValueDecoder().decode(T.Arguments.self, from: arguments)
            let output = try await tool.call(arguments: decoded)
            do {
                return try JSONValueEncoder().encode(output)
            } catch {
                throw OutputEncodingFailure(
                    message: "the output of tool \"\(name)\" (\(outputType)) does not encode: "
                        + CodingProblem(error).summary
                )
            }
        }
        if T.Arguments.self == JSONValue.self {
            decodeArguments = nil
        } else {
            decodeArguments = { arguments in _ = try JSONValueDecoder().decode(T.Arguments.self, from: arguments) }
            try checkDrift()
        }
    }

    /// Decodes the schema's smallest sample; a structural failure at a member the schema describes is drift.
    private func checkDrift() throws(ToolError) {
        let schema = description.parameters
        guard let decodeArguments, let sample = schema.minimalSample else { return }
        do {
            try decodeArguments(sample)
        } catch {
            let problem = CodingProblem(error)
            let advice: String
            switch problem.kind {
            case .missingKey:
                advice =
                    "the schema does not require it, so a call may leave it out: add it to the schema's "
                    + "`required` list or make the property optional"
            case .missingValue, .wrongKind:
                // A member the schema leaves open (`any`) may hold anything; only described members can drift.
                guard let member = schema.schema(at: problem.codingPath), member.kind != .any else { return }
                advice = "the schema declares it as \(member.kind): make the schema and the property agree"
            case .refusedValue, .other:
                return
            }
            throw ToolError(
                code: .schemaMismatch,
                tool: description.name,
                field: problem.field,
                message: "tool \"\(description.name)\": its schema and its Arguments type \(argumentsType) disagree "
                    + "at \(problem.summary); \(advice)"
            )
        }
    }

    /// Checks the arguments against the schema and that they decode, without running the tool.
    ///
    /// - Parameter arguments: The arguments of a call.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/invalidArguments`` when the arguments fail the schema or
    ///   the `Arguments` type refuses them with an error of its own; ``ToolError/Code/schemaMismatch`` when they
    ///   pass the schema but the type cannot hold them (the tool's schema is wrong, not the caller).
    package func check(_ arguments: JSONValue) throws(ToolError) {
        let name = description.name
        if let violation = description.parameters.validate(arguments) {
            throw ToolError(
                code: .invalidArguments,
                tool: name,
                field: violation.path,
                message: "arguments for \"\(name)\" refused: \(violation.path.isEmpty ? "" : violation.path + ": ")"
                    + violation.message
            )
        }
        guard let decodeArguments else { return }
        do {
            try decodeArguments(arguments)
        } catch {
            let problem = CodingProblem(error)
            if problem.kind == .other {
                throw ToolError(
                    code: .invalidArguments,
                    tool: name,
                    field: "",
                    message: "arguments for \"\(name)\" refused by \(argumentsType): \(problem.reason)"
                )
            }
            throw ToolError(
                code: .schemaMismatch,
                tool: name,
                field: problem.field,
                message: "arguments for \"\(name)\" pass its schema but do not decode into \(argumentsType) "
                    + "(\(problem.summary)): the tool's schema and its Arguments type disagree; fix the tool"
            )
        }
    }

    /// Runs the tool's body on arguments that passed ``check(_:)``.
    ///
    /// A `RetryableError` from the body keeps its retryability and retry-after hint in the ``ToolError``.
    ///
    /// - Parameter arguments: Arguments that passed ``check(_:)``.
    /// - Returns: The tool's output.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/toolFailed``, or `CancellationError` unchanged.
    package func call(_ arguments: JSONValue) async throws -> JSONValue {
        do {
            return try await body(arguments)
        } catch {
            throw failure(error)
        }
    }

    /// The tool's body without the error mapping of ``call(_:)``: a caller that awaits it directly, and maps what
    /// it throws with ``failure(_:)``, saves one level (and the executor hop after it) per call.
    package var run: @Sendable (JSONValue) async throws -> JSONValue { body }

    /// What ``call(_:)`` throws for an error thrown by the tool's body: `CancellationError` unchanged, anything
    /// else a ``ToolError`` with code ``ToolError/Code/toolFailed`` that keeps a `RetryableError`'s retryability
    /// and retry-after hint.
    ///
    /// - Parameter error: What the body threw.
    /// - Returns: The error to throw to the caller.
    package func failure(_ error: any Error) -> any Error {
        if error is CancellationError { return error }
        if let error = error as? OutputEncodingFailure {
            return ToolError(code: .toolFailed, tool: description.name, message: error.message)
        }
        let retryable = error as? any RetryableError
        let isRetryable = retryable?.isRetryable ?? false
        let retryAfter = retryable?.retryAfter
        return ToolError(
            code: .toolFailed,
            tool: description.name,
            message: "tool \"\(description.name)\" failed: \(error)",
            isRetryable: isRetryable,
            retryAfterNanoseconds: retryAfter.map(Nanoseconds.init)
        )
    }
}

/// A typed tool's output that could not be encoded into a ``JSONValue``.
private struct OutputEncodingFailure: Error {
    var message: String
}
