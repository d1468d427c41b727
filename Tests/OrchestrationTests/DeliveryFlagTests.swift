import Testing

@testable import AgentOrchestration

// Glibc only: the layout test below asks the allocator how large the flag's allocation is. glibc's <malloc.h>
// declares `size_t malloc_usable_size(void *__ptr);` and <dlfcn.h> `void *dlsym(void *__restrict __handle, const
// char *__restrict __name);` (`RTLD_DEFAULT` is a null handle). Other platforms (Darwin's `malloc_size`, Musl) skip
// that test; the flag's behaviour is tested everywhere.
#if canImport(Glibc)
    import Glibc

    /// The size of the allocation at `pointer` (glibc's `malloc_usable_size`, which the Glibc module does not
    /// import: `malloc.h`), looked up by name; `nil` if it is not there.
    private func allocatedSize(_ pointer: UnsafeMutableRawPointer) -> Int? {
        typealias UsableSize = @convention(c) (UnsafeMutableRawPointer?) -> Int
        guard let symbol = dlsym(nil, "malloc_usable_size") else { return nil }
        return unsafeBitCast(symbol, to: UsableSize.self)(pointer)
    }
#endif

@Suite("A subscriber's delivery flag", .timeLimit(.suite))
struct DeliveryFlagTests {
    @Test("Raising and lowering: a flag already up stays up, one already down stays down")
    func raiseAndLower() {
        let flag = DeliveryFlag()
        #expect(!flag.isRaised, "a new flag is down")
        flag.raise()
        #expect(flag.isRaised, "a delivery raises the flag")
        flag.raise()
        #expect(flag.isRaised, "a second delivery leaves it up")
        flag.lower()
        #expect(!flag.isRaised, "the reader lowers it")
        flag.lower()
        #expect(!flag.isRaised, "lowering a lowered flag leaves it down")
        flag.raise()
        #expect(flag.isRaised, "the next delivery raises it again")
    }

    #if canImport(Glibc)
        @Test("The flag shares no cache line with the object's header or a neighbouring allocation")
        func flagHasItsOwnCacheLine() {
            let line = DeliveryFlag.padding
            #expect(line == 64)
            for _ in 0..<4 {
                let flag = DeliveryFlag()
                let start = Int(bitPattern: Unmanaged.passUnretained(flag).toOpaque())
                guard let allocated = allocatedSize(Unmanaged.passUnretained(flag).toOpaque()) else {
                    Issue.record("malloc_usable_size not found")
                    return
                }
                let offset = flag.flagAddress - start
                #expect(offset >= line, "a full line after the start: the header and the allocation before are apart")
                #expect(allocated - offset >= line, "a full line before the end: the next allocation is apart")
            }
        }
    #endif

    @Test("A subscriber's reader that polls sees a delivery made on another task, and the events in order")
    func pollingReaderSeesDeliveries() async {
        let subscriber = EventSubscriber(capacity: 100)
        let reader = Task {
            var seen: [Int64] = []
            var spare: [OrchestrationEvent] = []
            while seen.count < 20 {
                let events = await subscriber.takeAll(recycling: spare)
                seen += events.map(\.sequence)
                spare = []
            }
            return seen
        }
        for sequence in 1...20 { _ = subscriber.deliver([numberedEvent(Int64(sequence))]) }
        #expect(await reader.value == Array(1...20))
    }
}
