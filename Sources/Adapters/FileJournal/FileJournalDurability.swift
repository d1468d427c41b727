/// When a ``FileCheckpointStore`` syncs a journal file to stable storage.
///
/// Every append writes its records to the file before it returns (a process crash then loses nothing). Syncing
/// (`fsync`) is what survives a machine crash or power cut, and it costs a disk round trip: this choice says how
/// often the store pays it. Whatever the choice, an append asked `JournalDurability.immediate` is synced before it
/// returns: the library asks for that before a tool call starts, so a tool never runs without its intent on disk.
public enum FileJournalDurability: String, Hashable, Codable, Sendable {
    /// Sync after every append, `.immediate` or `.deferred`: nothing acknowledged is ever lost.
    case everyEntry
    /// Sync only appends asked `.immediate` (the library asks at step boundaries and before tool calls), and at
    /// ``FileCheckpointStore/close()``. Entries appended `.deferred` since the last sync can be lost in a machine
    /// crash; a process crash loses nothing. An `.immediate` append of no records syncs what is pending.
    case stepBoundaries
}
