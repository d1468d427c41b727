// One file for every test target: Tests/<target>/ThreadSanitizerBuild.swift is a symbolic link to this one (test
// targets cannot share a module).
import Testing

/// Whether this is the ThreadSanitizer build (`.ci/run` step 5 passes `-Xswiftc -DAGENT_TSAN_LOCKS`).
let isThreadSanitizerBuild: Bool = {
    #if AGENT_TSAN_LOCKS
        true
    #else
        false
    #endif
}()

extension Trait where Self == ConditionTrait {
    /// Leaves a single-threaded, CPU-heavy test to the plain run (`.ci/run` step 4).
    ///
    /// Such a test exercises no concurrency, so the sanitizer has nothing to find in it, and at the sanitizer's
    /// tenfold cost it held both cooperative threads for 10–30 s: every test running beside it stalled, and the
    /// 5 s watchdogs of the timing tests fired although nothing was stuck.
    static var plainRunOnly: Self {
        .disabled(if: isThreadSanitizerBuild, "single-threaded and CPU-heavy: the plain run (step 4) runs it")
    }
}

extension TimeLimitTrait.Duration {
    /// The time limit of every suite: one minute, five in a ThreadSanitizer build.
    ///
    /// Under the sanitizer every job costs about ten times as much and the whole suite starts at once on two
    /// cooperative threads, so on a loaded two-core machine a test that takes half a second alone (the 200 random
    /// DAGs) waited more than a minute for its turns.
    static var suite: Self { isThreadSanitizerBuild ? .minutes(5) : .minutes(1) }
}
