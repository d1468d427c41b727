extension AgentThreadPool {
    /// A first-in, first-out queue whose storage shrinks while it drains, not only once it is empty.
    ///
    /// Elements are appended to `storage` and taken from `head`; a taken slot is cleared at once. When the taken
    /// prefix reaches ``compactionThreshold`` slots and is at least as long as what is still queued, the queued
    /// elements move to a new, right-sized array. So `storage` never holds more than
    /// `2 × count + compactionThreshold` slots, however long the queue stays non-empty, and a burst's memory is
    /// given back as the burst drains. Each element is copied at most once per compaction, and a compaction
    /// happens only after at least as many takes as it copies: appending and taking stay amortised O(1).
    ///
    /// A value type without locking: `AgentThreadPool` keeps it under its mutex.
    struct JobQueue<Element> {
        /// The smallest taken prefix that is compacted away; also the largest capacity kept when the queue empties.
        static var compactionThreshold: Int { 32 }

        private var storage: [Element?] = []
        private var head = 0

        /// Creates an empty queue.
        init() {}

        /// The number of queued elements.
        var count: Int { storage.count - head }

        /// Whether no element is queued.
        var isEmpty: Bool { head == storage.count }

        /// The slots in use, taken ones included: what the queue's memory is proportional to.
        var storageCount: Int { storage.count }

        /// The capacity of the underlying array.
        var storageCapacity: Int { storage.capacity }

        /// Queues `element` after every element already queued.
        mutating func append(_ element: Element) {
            storage.append(element)
        }

        /// Takes the element queued first, or returns `nil` when the queue is empty.
        mutating func popFirst() -> Element? {
            guard head < storage.count else { return nil }
            let element = storage[head]
            storage[head] = nil
            head += 1
            if head == storage.count {
                // Empty: keep a small buffer for the next element, give a large one back.
                storage.removeAll(keepingCapacity: storage.capacity <= Self.compactionThreshold)
                head = 0
            } else if head >= Self.compactionThreshold, head >= storage.count - head {
                storage = Array(storage[head...])
                head = 0
            }
            return element
        }
    }
}
