/// A run entry's field value kept as the value it records (a plan, a step's result, a review's decision) and
/// written straight to RFC 8785 bytes where the entry is sealed: no `JSONValue` tree is built for it, walked, then
/// freed.
///
/// The bytes are the ones sealing ``jsonValue`` writes: the members in RFC 8785 order (their keys are plain ASCII,
/// written as they are), a nested `JSONValue` (a step's input, a result's output) written by the same writer, so its
/// stored form's patches and the key-order check are recorded as usual. ``jsonValue`` is the value's JSON, as its
/// synthesized `Encodable` conformance writes it; a live entry's field is built as JSON only when the general seal
/// takes over (a nested object whose keys sort differently by UTF-8 and UTF-16). Replay and resume compare the
/// journal's entries with probes that hold the JSON, as before: only the live entry carries the value.
package enum DirectFieldValue: Sendable, Hashable {
    /// A plan: its steps, as an array of step objects.
    case plan([AgentStep])
    /// A step's result: `output` and `followUpSteps`.
    case result(StepResult)
    /// A review's decision: the case's name holding an object of its labelled values.
    case decision(ReviewDecision)

    /// The value's JSON, as `JSONValueEncoder` encodes it.
    package var jsonValue: JSONValue {
        switch self {
        case .plan(let steps): Self.json(of: steps)
        case .result(let result): Self.json(of: result)
        case .decision(let decision): Self.json(of: decision)
        }
    }

    /// A plan as `JSONValueEncoder` encodes it.
    ///
    /// - Parameter steps: The plan's steps.
    /// - Returns: An array of the steps' objects.
    package static func json(of steps: [AgentStep]) -> JSONValue {
        var elements: [JSONValue] = []
        elements.reserveCapacity(steps.count)
        for step in steps { elements.append(json(of: step)) }
        return .array(elements)
    }

    /// A step as its synthesized `Encodable` conformance writes it: `input`, `label` when present, `index`,
    /// `revision`.
    ///
    /// - Parameter step: The step.
    /// - Returns: The step's object.
    package static func json(of step: AgentStep) -> JSONValue {
        // A literal, sized for its members by the specialised initialiser (`reserveCapacity` on an empty dictionary
        // resizes through unspecialised code that looks up the storage's type metadata at run time, per step).
        guard let label = step.label else {
            return .object([
                "input": step.input, "index": .integer(Int64(step.index)),
                "revision": .integer(Int64(step.revision)),
            ])
        }
        return .object([
            "input": step.input, "label": .string(label), "index": .integer(Int64(step.index)),
            "revision": .integer(Int64(step.revision)),
        ])
    }

    /// A step result: `output` and `followUpSteps`.
    ///
    /// - Parameter result: The result.
    /// - Returns: The result's object.
    package static func json(of result: StepResult) -> JSONValue {
        .object(["output": result.output, "followUpSteps": json(of: result.followUpSteps)])
    }

    /// A review decision as its synthesized `Encodable` conformance writes it: the case name holding an object of
    /// the case's labelled values (an absent optional left out).
    ///
    /// - Parameter decision: The decision.
    /// - Returns: The decision's object.
    package static func json(of decision: ReviewDecision) -> JSONValue {
        switch decision {
        case .accept(let output):
            var payload: [String: JSONValue] = [:]
            if let output { payload["output"] = output }
            return .object(["accept": .object(payload)])
        case .revise(let feedback): return .object(["revise": .object(["feedback": feedback])])
        case .reject(let reason): return .object(["reject": .object(["reason": .string(reason)])])
        }
    }

    /// Writes the value in RFC 8785 form: what `writer.write(jsonValue)` writes, patches and key-order check
    /// included.
    ///
    /// - Parameter writer: The writer to append to.
    func write(into writer: inout CanonicalJSONWriter) {
        switch self {
        case .plan(let steps):
            Self.write(steps, into: &writer)
        case .result(let result):
            // "followUpSteps" < "output".
            writer.append(#"{"followUpSteps":"#)
            Self.write(result.followUpSteps, into: &writer)
            writer.append(#","output":"#)
            writer.write(result.output)
            writer.append("}")
        case .decision(.accept(let output?)):
            writer.append(#"{"accept":{"output":"#)
            writer.write(output)
            writer.append("}}")
        case .decision(.accept(nil)):
            writer.append(#"{"accept":{}}"#)
        case .decision(.revise(let feedback)):
            writer.append(#"{"revise":{"feedback":"#)
            writer.write(feedback)
            writer.append("}}")
        case .decision(.reject(let reason)):
            writer.append(#"{"reject":{"reason":"#)
            writer.writeString(reason)
            writer.append("}}")
        }
    }

    /// Writes a plan's steps: an array of objects with the members `index` < `input` < `label` < `revision`.
    private static func write(_ steps: [AgentStep], into writer: inout CanonicalJSONWriter) {
        writer.append("[")
        var first = true
        for step in steps {
            writer.append(first ? #"{"index":"# : #",{"index":"#)
            first = false
            writer.write(Int64(step.index))
            writer.append(#","input":"#)
            writer.write(step.input)
            if let label = step.label {
                writer.append(#","label":"#)
                writer.writeString(label)
            }
            writer.append(#","revision":"#)
            writer.write(Int64(step.revision))
            writer.append("}")
        }
        writer.append("]")
    }
}
