import TurnstileRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a dining simulation observed.
public struct DiningReport: Sendable, CustomStringConvertible {
    /// Meals eaten, per seat.
    public var meals: [Int]
    /// Each seat's longest wait from asking for its forks to eating, in nanoseconds of
    /// wall-clock time (meaningful on the native engine only).
    public var longestHungerNanoseconds: [UInt64]
    /// Each seat's longest wait counted in meals the other philosophers ate meanwhile: a
    /// deterministic measure of starvation that means the same under both engines.
    public var longestHungerInOthersMeals: [Int]

    /// Total meals.
    public var totalMeals: Int { meals.reduce(0, +) }

    /// A table with one line per seat: meals, longest hunger in µs, and in others' meals.
    public var description: String {
        var lines = ["seat  meals  longest hunger (µs)  (others' meals)"]
        for seat in meals.indices {
            let micros = Double(longestHungerNanoseconds[seat]) / 1_000
            lines.append(
                "\(seat)".padding(6) + "\(meals[seat])".padding(7) + String(format: "%.1f", micros).padding(21)
                    + "\(longestHungerInOthersMeals[seat])")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

/// Runs philosophers around a ``DiningTable`` and reports meals per philosopher and the
/// longest hunger.
///
/// Each philosopher thinks (a short busy computation, calling the table's
/// `serviceWhileThinking` in between), picks up its forks, eats (a shorter computation) and
/// puts them down, until its stop condition; then it leaves the table.
public enum DiningSimulation {
    /// When the philosophers stop.
    public enum Stop: Sendable {
        /// After each philosopher has eaten this many meals (deterministic; use this under
        /// the controlled engine).
        case afterMeals(Int)
        /// After this many nanoseconds of wall-clock time (native engine).
        case afterNanoseconds(UInt64)
    }

    /// Runs one philosopher thread per seat and waits for all of them.
    /// - Parameters:
    ///   - table: the solution under test; a fresh table.
    ///   - stop: when each philosopher stops.
    ///   - thinkWork: iterations of busy work per thought (0 in controlled checks).
    ///   - eatWork: iterations of busy work per meal.
    public static func run(
        _ table: any DiningTable, until stop: Stop, thinkWork: Int = 200, eatWork: Int = 100
    ) -> DiningReport {
        let seats = table.seats
        let totalMeals = AtomicInt(0, name: "totalMeals")
        let meals = (0..<seats).map { AtomicInt(0, name: "meals\($0)") }
        let longestNanos = (0..<seats).map { AtomicInt(0, name: "hungerNs\($0)") }
        let longestMeals = (0..<seats).map { AtomicInt(0, name: "hungerMeals\($0)") }
        let start = now()
        let handles = (0..<seats).map { seat in
            Runtime.spawn(name: "philosopher-\(seat)") {
                var eaten = 0
                while keepGoing(stop, eaten: eaten, start: start) {
                    busyWork(thinkWork)
                    table.serviceWhileThinking(seat, file: #fileID, line: #line)
                    let hungerStart = now()
                    let othersBefore = totalMeals.load(ordering: .relaxed)
                    table.pickUp(seat, file: #fileID, line: #line)
                    let waited = now() &- hungerStart
                    let othersAte = totalMeals.fetchAdd(1, ordering: .relaxed) - othersBefore
                    busyWork(eatWork)
                    table.putDown(seat, file: #fileID, line: #line)
                    eaten += 1
                    meals[seat].store(eaten, ordering: .relaxed)
                    longestNanos[seat].store(max(longestNanos[seat].load(ordering: .relaxed), Int(waited)), ordering: .relaxed)
                    longestMeals[seat].store(max(longestMeals[seat].load(ordering: .relaxed), othersAte), ordering: .relaxed)
                }
                table.leave(seat, file: #fileID, line: #line)
            }
        }
        handles.forEach { $0.join() }
        return DiningReport(
            meals: meals.map { $0.load() }, longestHungerNanoseconds: longestNanos.map { UInt64($0.load()) },
            longestHungerInOthersMeals: longestMeals.map { $0.load() })
    }

    private static func keepGoing(_ stop: Stop, eaten: Int, start: UInt64) -> Bool {
        switch stop {
        case .afterMeals(let count): eaten < count
        case .afterNanoseconds(let limit): now() &- start < limit
        }
    }

    private static func busyWork(_ iterations: Int) {
        var x = 0
        for i in 0..<iterations { x = x &* 31 &+ i }
        if x == 42 { Runtime.yield() }  // keeps the loop from being optimised away
    }

    private static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
