import Testing

@testable import AgentAdapters

@Suite("MCP client state machine", .timeLimit(.suite))
struct MCPClientStateTests {
    typealias Machine = MCPClientState<Int>

    func ready() -> Machine {
        var machine = Machine(serverLabel: "srv", maximumMessageBytes: 100)
        #expect(machine.begin() == nil)
        let id = machine.allocateID()
        _ = machine.send(id: id, method: "initialize", params: nil, waiter: 0)
        _ = machine.receive(.result(id: id, result: [:]))
        let effects = machine.initialized()
        #expect(effects.messages == [.notification(method: "notifications/initialized", params: nil)])
        return machine
    }

    func outcomes(_ effects: Machine.Effects) -> [(Int, String)] {
        effects.resumptions.map { waiter, outcome in
            switch outcome {
            case .result(let value): (waiter, "result \(value.jsonText())")
            case .failed(let error): (waiter, "failed \(error.code)")
            case .cancelled: (waiter, "cancelled")
            }
        }
    }

    @Test("Responses resume the request with the same id, in any order")
    func matchesByID() {
        var machine = ready()
        let first = machine.allocateID()
        let second = machine.allocateID()
        #expect(first != second)
        #expect(machine.send(id: first, method: "tools/list", params: nil, waiter: 1).messages.count == 1)
        #expect(machine.send(id: second, method: "ping", params: nil, waiter: 2).messages.count == 1)
        #expect(outcomes(machine.receive(.result(id: second, result: "b"))).map(\.0) == [2])
        #expect(outcomes(machine.receive(.result(id: first, result: "a"))).map(\.1) == [#"result "a""#])
        #expect(machine.pendingCount == 0)
    }

    @Test("A response with an unknown id is skipped and counted; the pending request still waits")
    func unknownID() {
        var machine = ready()
        let id = machine.allocateID()
        _ = machine.send(id: id, method: "ping", params: nil, waiter: 1)
        #expect(machine.receive(.result(id: .number(999), result: [:])).resumptions.isEmpty)
        #expect(machine.receive(.error(id: nil, MCPErrorObject(code: -32700, message: "x"))).resumptions.isEmpty)
        #expect(machine.diagnostics.unmatchedResponses == 2)
        #expect(machine.pendingCount == 1)
    }

    @Test("An error response fails the request with serverError and the server's code")
    func serverError() {
        var machine = ready()
        let id = machine.allocateID()
        _ = machine.send(id: id, method: "tools/call", params: nil, waiter: 1)
        let effects = machine.receive(.error(id: id, MCPErrorObject(code: -32602, message: "Unknown tool: x")))
        guard case .failed(let error) = effects.resumptions.first?.1 else {
            Issue.record("not failed")
            return
        }
        #expect(error.code == .serverError)
        #expect(error.rpcCode == -32602)
        #expect(error.message.contains("Unknown tool: x"))
    }

    @Test("Cancelling a pending request resumes it and tells the server; initialize is never announced")
    func cancel() {
        var machine = ready()
        let id = machine.allocateID()
        _ = machine.send(id: id, method: "tools/call", params: nil, waiter: 1)
        let effects = machine.cancel(id, reason: "deadline")
        #expect(outcomes(effects).map(\.1) == ["cancelled"])
        #expect(
            effects.messages == [
                .notification(method: "notifications/cancelled", params: ["requestId": id.json, "reason": "deadline"])
            ]
        )
        #expect(machine.cancel(id, reason: "again").messages.isEmpty, "cancelling twice sends once")
        #expect(machine.receive(.result(id: id, result: [:])).resumptions.isEmpty, "a late answer is skipped")

        var starting = Machine(serverLabel: "srv", maximumMessageBytes: 100)
        _ = starting.begin()
        let initialize = starting.allocateID()
        _ = starting.send(id: initialize, method: "initialize", params: nil, waiter: 0)
        #expect(starting.cancel(initialize, reason: "timeout", notify: false).messages.isEmpty)
    }

    @Test("A cancellation that arrives before the request is registered cancels it on registration")
    func earlyCancel() {
        var machine = ready()
        let id = machine.allocateID()
        #expect(machine.cancel(id, reason: "early").resumptions.isEmpty)
        let effects = machine.send(id: id, method: "tools/call", params: nil, waiter: 5)
        #expect(effects.messages.isEmpty, "nothing is sent for a request cancelled before it was registered")
        #expect(outcomes(effects).map(\.1) == ["cancelled"])
    }

    @Test("When the connection ends every pending request fails, and so does every later one")
    func connectionEnds() {
        var machine = ready()
        for waiter in 1...3 {
            _ = machine.send(id: machine.allocateID(), method: "tools/call", params: nil, waiter: waiter)
        }
        let crash = MCPError(code: .connectionClosed, message: "exited with status 9")
        let effects = machine.connectionEnded(crash)
        #expect(outcomes(effects).map(\.0).sorted() == [1, 2, 3])
        #expect(outcomes(effects).allSatisfy { $0.1 == "failed connectionClosed" })
        let later = machine.send(id: machine.allocateID(), method: "tools/call", params: nil, waiter: 4)
        #expect(later.messages.isEmpty)
        guard case .failed(let error) = later.resumptions.first?.1 else {
            Issue.record("not failed")
            return
        }
        #expect(error.message == "exited with status 9")
        #expect(error.method == "tools/call")
    }

    @Test("Requests before initialization are refused as misuse; a second start too")
    func misuse() {
        var machine = Machine(serverLabel: "srv", maximumMessageBytes: 100)
        let effects = machine.send(id: machine.allocateID(), method: "tools/list", params: nil, waiter: 1)
        #expect(outcomes(effects).map(\.1) == ["failed invalidState"])
        #expect(machine.begin() == nil)
        #expect(machine.begin()?.code == .invalidState)
    }

    @Test("The server's ping is answered; other server requests get method-not-found")
    func serverRequests() {
        var machine = ready()
        #expect(
            machine.receive(.request(id: .string("p"), method: "ping", params: nil)).messages == [
                .result(id: .string("p"), result: [:])
            ]
        )
        let refused = machine.receive(.request(id: .number(3), method: "sampling/createMessage", params: [:]))
        guard case .error(let id, let error) = refused.messages.first else {
            Issue.record("no error sent")
            return
        }
        #expect(id == .number(3))
        #expect(error.code == -32601)
        #expect(machine.diagnostics.refusedServerRequests == 1)
    }

    @Test("Progress reaches the request whose id is the token; list_changed is flagged and counted")
    func notifications() {
        var machine = ready()
        let id = machine.allocateID()
        _ = machine.send(id: id, method: "tools/call", params: nil, waiter: 7)
        let progress = machine.receive(
            .notification(
                method: "notifications/progress",
                params: ["progressToken": id.json, "progress": 1, "total": 2]
            )
        )
        #expect(progress.progress.map(\.0) == [7])
        #expect(progress.progress.first?.1 == MCPProgress(progress: 1, total: 2))
        let stray = machine.receive(
            .notification(method: "notifications/progress", params: ["progressToken": "nobody", "progress": 1])
        )
        #expect(stray.progress.isEmpty)
        #expect(
            machine.receive(.notification(method: "notifications/tools/list_changed", params: nil)).toolsListChanged
        )
        #expect(machine.diagnostics.toolListChanges == 1)
    }

    @Test("Malformed lines are skipped and counted; an oversized line ends the connection naming the limit")
    func lines() {
        var machine = ready()
        let id = machine.allocateID()
        _ = machine.send(id: id, method: "tools/call", params: nil, waiter: 1)
        #expect(machine.received("not json").resumptions.isEmpty)
        #expect(machine.received(#"{"jsonrpc":"2.0"}"#).resumptions.isEmpty)
        #expect(machine.diagnostics.malformedMessages == 2)
        #expect(machine.phase == .ready)
        let oversized = machine.received(String(repeating: " ", count: 101))
        #expect(machine.phase == .closed)
        guard case .failed(let error) = oversized.resumptions.first?.1 else {
            Issue.record("pending call not failed")
            return
        }
        #expect(error.code == .messageTooLarge)
        #expect(error.message.contains("101 bytes") && error.message.contains("100"))
    }
}
