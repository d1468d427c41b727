import AgentAdapters

extension ExecutionReport {
    /// Decodes the run's final output into a type: the typed output of a `ModelAgent`, or any agent's JSON.
    ///
    /// ```swift
    /// let report = await orchestrator.run(triage, task: "The app crashes on launch")
    /// let ticket = try report.output(as: Ticket.self)
    /// ```
    ///
    /// - Parameter type: The type to decode.
    /// - Returns: The decoded output.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/invalidReport`` when the run has no
    ///   final output (it did not complete: the message gives the stop reason) or the output does not decode into
    ///   `type` (the message names the type and the field).
    public func output<Output: Decodable>(as type: Output.Type = Output.self) throws(OrchestrationError) -> Output {
        guard let finalOutput else {
            throw OrchestrationError(
                code: .invalidReport,
                name: agentName,
                message: "run \(executionID) of \"\(agentName)\" has no final output (it ended with \(stopReason)); "
                    + "check report.status before reading the output"
            )
        }
        do {
            return try JSONValueDecoder().decode(Output.self, from: finalOutput)
        } catch {
            throw OrchestrationError(
                code: .invalidReport,
                name: agentName,
                message: "the final output of run \(executionID) does not decode into "
                    + "\(String(reflecting: Output.self)): \(error)"
            )
        }
    }
}
