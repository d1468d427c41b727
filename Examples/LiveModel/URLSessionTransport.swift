import AgentAdapters
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A ``ModelTransport`` over `URLSession`: the example's one piece of I/O.
///
/// The library ships no transport; an application brings its own, like this one. On Apple platforms it streams
/// with `URLSession.bytes(for:)`. On Linux, FoundationNetworking's `URLSession` has no async byte stream, so
/// `stream(_:)` falls back to the protocol's default: one non-streaming request whose body arrives as one chunk.
struct URLSessionTransport: ModelTransport {
    let session: URLSession

    init(session: URLSession = .shared) { self.session = session }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let (data, response) = try await perform(request)
        return TransportResponse(status: response.statusCode, headers: headers(of: response), body: Array(data))
    }

    #if !canImport(FoundationNetworking)
        func stream(_ request: TransportRequest) async throws -> TransportStream {
            let (bytes, response) = try await session.bytes(for: try urlRequest(request))
            guard let http = response as? HTTPURLResponse else { throw notHTTP(request) }
            let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            let reader = Task {
                do {
                    var chunk: [UInt8] = []
                    for try await byte in bytes {
                        chunk.append(byte)
                        if byte == UInt8(ascii: "\n") {
                            continuation.yield(chunk)
                            chunk.removeAll(keepingCapacity: true)
                        }
                    }
                    if !chunk.isEmpty { continuation.yield(chunk) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in reader.cancel() }
            return TransportStream(status: http.statusCode, headers: headers(of: http), chunks: chunks)
        }
    #endif

    private func perform(_ request: TransportRequest) async throws -> (Data, HTTPURLResponse) {
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: try urlRequest(request))
        } catch let error as URLError {
            throw ModelError(
                code: error.code == .timedOut ? .timedOut : .connectionFailed,
                model: "",
                message: "\(request.method) \(request.url) failed: \(error.localizedDescription)"
            )
        }
        guard let http = response as? HTTPURLResponse else { throw notHTTP(request) }
        return (data, http)
    }

    private func urlRequest(_ request: TransportRequest) throws -> URLRequest {
        guard let url = URL(string: request.url) else {
            throw ModelError(
                code: .invalidRequest,
                model: "",
                message: "\"\(request.url)\" is not a URL: check OPENAI_BASE_URL"
            )
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = Data(request.body)
        urlRequest.timeoutInterval = 120
        for header in request.headers { urlRequest.addValue(header.value, forHTTPHeaderField: header.name) }
        return urlRequest
    }

    private func headers(of response: HTTPURLResponse) -> [TransportHeader] {
        response.allHeaderFields.compactMap { name, value in
            guard let name = name as? String else { return nil }
            return TransportHeader(name, "\(value)")
        }
    }

    private func notHTTP(_ request: TransportRequest) -> ModelError {
        ModelError(code: .connectionFailed, model: "", message: "\(request.url) did not answer with HTTP")
    }
}
