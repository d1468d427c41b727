/// A token and cost estimate held against a ledger until it is settled or released, once.
///
/// Only a ledger makes reservations; each has an identity, so settling or releasing the same one twice gives
/// nothing back the second time.
public struct UsageReservation: Hashable, Sendable {
    /// The reservation's identity within its ledger.
    let id: UInt64
    /// The usage reserved.
    public let estimate: ModelUsage
}
