import Foundation

/// Progress of a batch (grade, collect, validate) for the person watching it.
///
/// Each finished item's line goes to standard output as before. When standard error is a
/// terminal, a status line under them shows the count, the share done, the time so far and an
/// estimate of the time left (the mean time per item so far, times the items left, divided by
/// the workers); it is redrawn after every item and erased at the end. Without a terminal
/// (CI logs, pipes) nothing but the lines is written.
final class BatchProgress {
    let total: Int
    let workers: Int
    let start = Date()
    private(set) var done = 0
    private let drawsStatus: Bool

    init(total: Int, workers: Int = 1, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.workers = max(1, workers)
        drawsStatus = terminal && total > 0
        draw()
    }

    /// Prints `line` for one finished item, then the updated status.
    func finished(_ line: String) {
        done += 1
        clear()
        print(line)
        fflush(nil)
        draw()
    }

    /// Erases the status line (call once when the batch is over).
    func end() { clear() }

    /// `[ 3/12]  25%  0:42 so far, about 2:06 left`.
    var status: String {
        let width = String(total).count
        let count = String(repeating: " ", count: width - String(done).count) + "\(done)/\(total)"
        let percent = total == 0 ? 100 : done * 100 / total
        let elapsed = Date().timeIntervalSince(start)
        var text = "[\(count)] \(String(repeating: " ", count: 3 - String(percent).count))\(percent)%  \(Self.clock(elapsed)) so far"
        if done > 0, done < total {
            let left = elapsed / Double(done) * Double(total - done) / Double(min(workers, total - done))
            text += ", about \(Self.clock(left)) left"
        }
        return text
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    private func draw() {
        guard drawsStatus else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + status).utf8))
    }

    private func clear() {
        guard drawsStatus else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
