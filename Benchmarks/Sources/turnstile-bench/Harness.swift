import Foundation

/// One comparison row: ours against a named baseline measured in the same run.
struct Measurement {
    var suite: String
    var caseName: String
    var metric: String
    var value: Double
    var baseline: String
    var baselineValue: Double
    /// `"lower"` or `"higher"`: which direction of the metric wins.
    var better: String
    /// The ratio an issue set as the goal, if any.
    var goal: Double?
    /// Extra fields a suite adds to its JSON line (for example `found`, `schedules`).
    var extra: [String: Any] = [:]

    var ratio: Double { baselineValue == 0 ? .infinity : value / baselineValue }

    var metGoal: Bool? {
        guard let goal else { return nil }
        return better == "lower" ? ratio <= goal : ratio >= goal
    }

    func jsonLine() -> String {
        var object: [String: Any] = [
            "suite": suite, "case": caseName, "metric": metric, "value": value,
            "baseline": baseline, "baseline_value": baselineValue,
            "ratio": (ratio * 1000).rounded() / 1000, "better": better,
        ]
        if let goal { object["goal"] = goal }
        for (key, value) in extra { object[key] = value }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// Settings every suite receives.
struct BenchOptions {
    var quick: Bool
    var json: Bool
    /// Repetitions of each side; the median is reported.
    var repetitions: Int { quick ? 5 : 15 }
}

/// Collects and prints measurements as a table or as JSON lines.
final class Reporter {
    let options: BenchOptions
    private(set) var rows: [Measurement] = []

    init(options: BenchOptions) { self.options = options }

    func report(_ measurement: Measurement) {
        rows.append(measurement)
        if options.json {
            print(measurement.jsonLine())
        } else {
            let goal = measurement.goal.map { String(format: "%.2f", $0) } ?? "-"
            let verdict = measurement.metGoal.map { $0 ? "met" : "MISSED" } ?? ""
            print(
                pad(measurement.caseName, 34) + pad(format(measurement.value), 14)
                    + pad("\(format(measurement.baselineValue)) (\(measurement.baseline))", 44)
                    + pad(String(format: "%.3f", measurement.ratio), 8) + pad(goal, 6) + verdict)
        }
        fflush(nil)  // all output streams; `stdout` is a non-Sendable global in Swift 6 mode
    }

    func header(_ suite: String, metric: String) {
        guard !options.json else { return }
        print("suite \(suite) — metric \(metric)")
        print(pad("case", 34) + pad("ours", 14) + pad("baseline", 44) + pad("ratio", 8) + pad("goal", 6))
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func format(_ value: Double) -> String {
        value >= 1000 ? String(format: "%.0f", value) : String(format: "%.3g", value)
    }
}

/// Monotonic nanoseconds.
@inline(__always) func nowNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Runs `ours` and `baseline` alternately after a warm-up, `repetitions` times each, and
/// returns the median of each side. Each closure returns the metric for one repetition.
func interleavedMedians(
    repetitions: Int, warmUp: Int = 1, ours: () -> Double, baseline: () -> Double
) -> (ours: Double, baseline: Double) {
    for _ in 0..<warmUp {
        _ = ours()
        _ = baseline()
    }
    var oursSamples: [Double] = []
    var baselineSamples: [Double] = []
    for repetition in 0..<repetitions {
        // Alternate which side goes first so drift hits both.
        if repetition % 2 == 0 {
            oursSamples.append(ours())
            baselineSamples.append(baseline())
        } else {
            baselineSamples.append(baseline())
            oursSamples.append(ours())
        }
    }
    return (median(oursSamples), median(baselineSamples))
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1
        ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Nanoseconds per operation for `iterations` calls of `body`.
func nanosecondsPerOperation(iterations: Int, _ body: () -> Void) -> Double {
    let start = nowNanoseconds()
    body()
    return Double(nowNanoseconds() - start) / Double(iterations)
}
