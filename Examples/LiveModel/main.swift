// LiveModel: one model-driven agent with a tool and a typed output, against any OpenAI-compatible server
// (OpenAI, Ollama, llama.cpp, vLLM, LM Studio), through a small URLSession transport written here.
//
//   OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_MODEL=llama3 swift run LiveModel
//
// OPENAI_API_KEY is optional (local servers need none). With no OPENAI_BASE_URL the example says so and exits 0.
import AgentOrchestration
import Foundation

let environment = ProcessInfo.processInfo.environment
guard let baseURL = environment["OPENAI_BASE_URL"], !baseURL.isEmpty else {
    print(
        """
        LiveModel talks to an OpenAI-compatible server, and OPENAI_BASE_URL is not set.
        Set it and run again, for example:
          OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_MODEL=llama3 swift run LiveModel        (llama.cpp, Ollama)
          OPENAI_BASE_URL=https://api.openai.com/v1 OPENAI_API_KEY=sk-... OPENAI_MODEL=gpt-4.1-mini swift run LiveModel
        """
    )
    exit(0)
}
let modelName = environment["OPENAI_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "gpt-4.1-mini"
let apiKey = environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }

/// A typed tool: the library derives its parameters schema from `Arguments`.
struct Temperature: Tool {
    struct Arguments: Decodable, Sendable {
        var city: String
    }

    let name = "temperature"
    let description = "The current temperature in a city, in degrees Celsius."

    func call(arguments: Arguments) async throws -> Int {
        // A stand-in for a real weather service: stable, fake figures.
        arguments.city.unicodeScalars.reduce(0) { ($0 + Int($1.value)) % 35 }
    }
}

/// The typed output the model must produce; its JSON Schema is derived and sent with every request.
struct Forecast: Decodable, Sendable {
    var city: String
    var celsius: Int
    var advice: String
}

let model = OpenAICompatibleModel(
    baseURL: baseURL,
    apiKey: apiKey,
    descriptor: ModelDescriptor(name: modelName, contextWindowTokens: 8_192),
    transport: URLSessionTransport()
)
let agent = ModelAgent(
    name: "forecaster",
    instructions: "Look up the temperature with the tool, then answer with the JSON the schema asks for.",
    model: model,
    output: Forecast.self
)
let policy = try StrictPolicy(
    maxSteps: 6,
    maxTokens: 20_000,
    maxToolCalls: 3,
    timeout: .seconds(120),
    maxModelCalls: 6
)
let orchestrator = try Orchestrator(tools: [Temperature()])
let report = await orchestrator.run(agent, task: "Should I take a coat in Oslo today?", policy: policy)

print(report.jsonText(prettyPrinted: true))
for step in report.steps {
    for call in step.modelCalls {
        print(
            "model call \(call.model) attempt \(call.attempt): \(call.status), "
                + "reserved \(call.reservedUsage), used \(call.usage)\(call.usageEstimated ? " (estimated)" : "")"
        )
    }
}
if let forecast = try? report.output(as: Forecast.self) {
    print("\n\(forecast.city): \(forecast.celsius) °C. \(forecast.advice)")
} else {
    print("\nstatus: \(report.status.rawValue), stop reason: \(report.stopReason)")
}
exit(report.status == .succeeded ? 0 : 1)
