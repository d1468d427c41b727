// AgentFileJournal's one file of C-library code: the POSIX calls behind `FileCheckpointStore`. Every call runs on
// the store's I/O thread (`FileJournalWorker`), never on a thread of Swift's cooperative pool. `.ci/platform-guard.sh`
// allows platform imports here and in AgentPolicy's `ThreadPrimitives.swift`, nowhere else.
//
// The calls and their declarations (Glibc, Linux x86_64: compiled and tested in CI; Musl: the same prototypes without
// parameter names, not compiled in CI; Darwin: Apple's SDK headers, not compiled in CI, see Docs/Platforms.md):
//   int open(const char *path, int oflag, ...);   Swift overlay on all three:
//       open(UnsafePointer<CChar>, Int32, mode_t) -> Int32   (mode_t: UInt32 on Linux, UInt16 on Darwin)
//   ssize_t pread(int, void *, size_t, off_t);     pread(Int32, UnsafeMutableRawPointer!, Int, off_t) -> Int
//   ssize_t pwrite(int, const void *, size_t, off_t); pwrite(Int32, UnsafeRawPointer!, Int, off_t) -> Int
//       (off_t: Int on Linux x86_64, Int64 on Darwin; written as `off_t(...)` so both compile)
//   off_t lseek(int, off_t, int);                  lseek(Int32, off_t, Int32) -> off_t
//   int ftruncate(int, off_t); int fsync(int); int close(int); int flock(int, int);  all (Int32, ...) -> Int32
//   int mkdir(const char *, mode_t); int unlink(const char *); int rmdir(const char *);
//   DIR *opendir(const char *);  Glibc/Musl: -> OpaquePointer!;  Darwin: -> UnsafeMutablePointer<DIR>!
//   struct dirent *readdir(DIR *);  d_name: a tuple of 256 CChar (Glibc, Musl) or 1024 (Darwin); read up to NUL
//   char *mkdtemp(char *);                         mkdtemp(UnsafeMutablePointer<CChar>!) -> UnsafeMutablePointer<CChar>!
// Darwin only: int fcntl(int, int, ...); overlay fcntl(Int32, Int32) -> Int32, with F_FULLFSYNC (see `sync`).

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("AgentFileJournal supports Darwin, Glibc and Musl")
#endif

/// The POSIX calls of the file journal: thin wrappers that retry `EINTR`, loop over short reads and writes, and
/// throw ``Failure`` naming the call and `errno`.
package enum FileJournalSystem {
    /// A system call failed.
    package struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The call, for example `fsync`.
        package var call: String
        /// The path or descriptor the call was about.
        package var subject: String
        /// The system's error number.
        package var errorNumber: Int32

        /// The call, its subject and the error's name.
        package var description: String {
            "\(call)(\(subject)) failed: \(FileJournalSystem.name(ofError: errorNumber)) (errno \(errorNumber))"
        }
    }

    /// Opens (creating if needed, mode 0644) a file for reading and writing, close-on-exec.
    ///
    /// - Parameter path: The file's path.
    /// - Returns: The descriptor.
    /// - Throws: ``Failure``.
    package static func openForWriting(_ path: String) throws(Failure) -> Int32 {
        try retrying("open", path) { path.withCString { open($0, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(0o644)) } }
    }

    /// Opens a file for reading, close-on-exec.
    ///
    /// - Parameter path: The file's path.
    /// - Returns: The descriptor, or `nil` when the file does not exist.
    /// - Throws: ``Failure``.
    package static func openForReading(_ path: String) throws(Failure) -> Int32? {
        do {
            return try retrying("open", path) { path.withCString { open($0, O_RDONLY | O_CLOEXEC, mode_t(0)) } }
        } catch  where error.errorNumber == ENOENT {
            return nil
        }
    }

    /// Takes the exclusive `flock` on an open file description without waiting.
    ///
    /// `flock` locks belong to the open file description: two descriptors from two `open` calls conflict even in
    /// one process, and the kernel drops the lock when the last descriptor closes, including at a SIGKILL.
    ///
    /// - Parameters:
    ///   - descriptor: The descriptor.
    ///   - path: The file's path, for errors.
    /// - Returns: `false` when another open file description holds the lock.
    /// - Throws: ``Failure``.
    package static func lockExclusively(_ descriptor: Int32, path: String) throws(Failure) -> Bool {
        do {
            _ = try retrying("flock", path) { flock(descriptor, LOCK_EX | LOCK_NB) }
            return true
        } catch  where error.errorNumber == EWOULDBLOCK || error.errorNumber == EAGAIN {
            return false
        }
    }

    /// The file's length.
    ///
    /// - Parameters:
    ///   - descriptor: The descriptor.
    ///   - path: The file's path, for errors.
    /// - Returns: The length in bytes.
    /// - Throws: ``Failure``.
    package static func length(of descriptor: Int32, path: String) throws(Failure) -> Int64 {
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0 else { throw Failure(call: "lseek", subject: path, errorNumber: errno) }
        return Int64(end)
    }

    /// Reads up to `count` bytes at `offset`; fewer when the file ends first.
    ///
    /// - Parameters:
    ///   - descriptor: The descriptor.
    ///   - offset: The first byte's offset.
    ///   - count: The number of bytes wanted.
    ///   - path: The file's path, for errors.
    /// - Returns: The bytes read.
    /// - Throws: ``Failure``.
    package static func read(
        _ descriptor: Int32,
        at offset: Int64,
        count: Int,
        path: String
    ) throws(Failure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + Int64(done)))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Failure(call: "pread", subject: path, errorNumber: errno)
            }
            if result == 0 { break }
            done += result
        }
        bytes.removeSubrange(done...)
        return bytes
    }

    /// Writes all of `bytes` at `offset`.
    ///
    /// - Parameters:
    ///   - descriptor: The descriptor.
    ///   - bytes: The bytes.
    ///   - offset: Where the first byte goes.
    ///   - path: The file's path, for errors.
    /// - Throws: ``Failure``.
    package static func write(_ descriptor: Int32, _ bytes: [UInt8], at offset: Int64, path: String) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                pwrite(descriptor, buffer.baseAddress! + done, bytes.count - done, off_t(offset + Int64(done)))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Failure(call: "pwrite", subject: path, errorNumber: errno)
            }
            done += result
        }
    }

    /// Cuts the file to `length` bytes.
    ///
    /// - Parameters:
    ///   - descriptor: The descriptor.
    ///   - length: The new length.
    ///   - path: The file's path, for errors.
    /// - Throws: ``Failure``.
    package static func truncate(_ descriptor: Int32, to length: Int64, path: String) throws(Failure) {
        _ = try retrying("ftruncate", path) { ftruncate(descriptor, off_t(length)) }
    }

    /// Puts the file's data and metadata on stable storage.
    ///
    /// Linux: `fsync`, which flushes the drive's write cache too. Darwin: `fsync` only hands the data to the drive,
    /// whose cache can still lose it at a power cut, so this uses `fcntl(F_FULLFSYNC)`, which asks the drive to
    /// flush, and falls back to `fsync` only where the file system does not support it (`ENOTSUP`, `EINVAL` or
    /// `ENOTTY`: some network volumes). Any other error (`EIO`) is thrown: a plain `fsync` that then succeeded would
    /// claim a durability the drive did not give.
    ///
    /// - Parameters:
    ///   - descriptor: The descriptor (of a file or a directory).
    ///   - path: The path, for errors.
    /// - Throws: ``Failure``.
    package static func sync(_ descriptor: Int32, path: String) throws(Failure) {
        #if canImport(Darwin)
            // Darwin: int fcntl(int, int, ...);  #define F_FULLFSYNC 51  (sys/fcntl.h)
            while fcntl(descriptor, F_FULLFSYNC) != 0 {
                let code = errno
                if code == EINTR { continue }
                guard code == ENOTSUP || code == EINVAL || code == ENOTTY else {
                    throw Failure(call: "fcntl(F_FULLFSYNC)", subject: path, errorNumber: code)
                }
                _ = try retrying("fsync", path) { fsync(descriptor) }
                return
            }
            return
        #else
            _ = try retrying("fsync", path) { fsync(descriptor) }
        #endif
    }

    /// Syncs a directory, so that the names of files created in it survive a machine crash.
    ///
    /// - Parameter path: The directory's path.
    /// - Throws: ``Failure``.
    package static func syncDirectory(_ path: String) throws(Failure) {
        let descriptor = try retrying("open", path) {
            path.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC, mode_t(0)) }
        }
        defer { close(descriptor) }
        try sync(descriptor, path: path)
    }

    /// Closes a descriptor, releasing its `flock` if it was the last one on its open file description.
    ///
    /// - Parameter descriptor: The descriptor.
    package static func close(_ descriptor: Int32) {
        // POSIX leaves the descriptor's state unspecified after an EINTR from close; Linux and Darwin always
        // release it, so close is never retried.
        _ = systemClose(descriptor)
    }

    /// Makes a directory (mode 0755) unless it exists.
    ///
    /// - Parameter path: The directory's path.
    /// - Returns: Whether this call made it.
    /// - Throws: ``Failure``.
    package static func makeDirectory(_ path: String) throws(Failure) -> Bool {
        do {
            _ = try retrying("mkdir", path) { path.withCString { mkdir($0, mode_t(0o755)) } }
            return true
        } catch  where error.errorNumber == EEXIST {
            return false
        }
    }

    /// The names in a directory, `.` and `..` excluded, unsorted.
    ///
    /// - Parameter path: The directory's path.
    /// - Returns: The names, or `nil` when the directory does not exist.
    /// - Throws: ``Failure``.
    package static func names(inDirectory path: String) throws(Failure) -> [String]? {
        // The DIR pointer's type differs (OpaquePointer on Glibc and Musl, UnsafeMutablePointer<DIR> on Darwin):
        // inferred, never spelled.
        guard let directory = path.withCString({ opendir($0) }) else {
            if errno == ENOENT { return nil }
            throw Failure(call: "opendir", subject: path, errorNumber: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            var rawName = entry.pointee.d_name
            let name = withUnsafeBytes(of: &rawName) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file.
    ///
    /// - Parameter path: The file's path.
    /// - Throws: ``Failure``.
    package static func removeFile(_ path: String) throws(Failure) {
        _ = try retrying("unlink", path) { path.withCString { unlink($0) } }
    }

    /// Makes a new, empty directory under `/tmp` with a unique name (`mkdtemp`): for tests and examples.
    ///
    /// - Parameter prefix: The start of the directory's name.
    /// - Returns: The directory's path.
    /// - Throws: ``Failure``.
    package static func makeTemporaryDirectory(prefix: String) throws(Failure) -> String {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard made else { throw Failure(call: "mkdtemp", subject: prefix, errorNumber: errno) }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes a directory and the files in it (one level: it has no subdirectories).
    ///
    /// - Parameter path: The directory's path.
    /// - Throws: ``Failure``.
    package static func removeDirectory(_ path: String) throws(Failure) {
        for name in try names(inDirectory: path) ?? [] { try removeFile(path + "/" + name) }
        _ = try retrying("rmdir", path) { path.withCString { rmdir($0) } }
    }

    /// Runs a call that returns -1 and sets `errno` on failure, again while it fails with `EINTR`.
    private static func retrying(
        _ call: String,
        _ subject: String,
        _ body: () -> Int32
    ) throws(Failure) -> Int32 {
        while true {
            let result = body()
            if result >= 0 { return result }
            if errno != EINTR { throw Failure(call: call, subject: subject, errorNumber: errno) }
        }
    }

    /// The C library's `close`, which ``close(_:)`` hides inside this type.
    private static func systemClose(_ descriptor: Int32) -> Int32 {
        #if canImport(Darwin)
            Darwin.close(descriptor)
        #elseif canImport(Glibc)
            Glibc.close(descriptor)
        #else
            Musl.close(descriptor)
        #endif
    }

    /// The symbolic name of an error number the store can meet, else `errno N`.
    ///
    /// - Parameter number: The error number.
    /// - Returns: Its name, for messages.
    package static func name(ofError number: Int32) -> String {
        let names: [(Int32, String)] = [
            (ENOENT, "ENOENT: no such file or directory"), (EACCES, "EACCES: permission denied"),
            (EEXIST, "EEXIST: file exists"), (ENOTDIR, "ENOTDIR: not a directory"),
            (EISDIR, "EISDIR: is a directory"), (ENOSPC, "ENOSPC: no space left on device"),
            (EIO, "EIO: input/output error"), (EROFS, "EROFS: read-only file system"),
            (EMFILE, "EMFILE: too many open files"), (EDQUOT, "EDQUOT: disk quota exceeded"),
            (EBADF, "EBADF: bad file descriptor"), (EINVAL, "EINVAL: invalid argument"),
            (EFBIG, "EFBIG: file too large"), (EPERM, "EPERM: operation not permitted"),
        ]
        return names.first { $0.0 == number }?.1 ?? "errno \(number)"
    }
}
