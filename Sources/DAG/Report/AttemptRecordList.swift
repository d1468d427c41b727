/// A node's attempt records, with the common case held inline: a node called once stores its one record without
/// an array (no allocation per node).
///
/// Always normalised (no record is ``none``, one is ``one(_:)``, more are ``many(_:)``), so two lists are equal, and
/// hash alike, exactly when their records are equal in order.
@usableFromInline
enum AttemptRecordList: Sendable, Hashable {
    /// No attempt: the node never called its body.
    case none
    /// Exactly one attempt.
    case one(TaskGraphAttemptRecord)
    /// Two or more attempts, in order.
    case many([TaskGraphAttemptRecord])

    /// The list holding these records, normalised.
    @inlinable
    init(_ records: [TaskGraphAttemptRecord]) {
        switch records.count {
        case 0: self = .none
        case 1: self = .one(records[0])
        default: self = .many(records)
        }
    }

    /// Whether there is no record.
    @inlinable
    var isEmpty: Bool {
        if case .none = self { true } else { false }
    }

    /// The records in order, as an array (allocated here for a single record).
    @inlinable
    var array: [TaskGraphAttemptRecord] {
        switch self {
        case .none: []
        case .one(let record): [record]
        case .many(let records): records
        }
    }

    /// Adds the record of the next attempt.
    @inlinable
    mutating func append(_ record: TaskGraphAttemptRecord) {
        switch self {
        case .none:
            self = .one(record)
        case .one(let first):
            self = .many([first, record])
        case .many(var records):
            self = .none  // the array is uniquely held again while it grows
            records.append(record)
            self = .many(records)
        }
    }
}
