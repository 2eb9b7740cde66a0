import Foundation
import Testing

@testable import Grading

@Suite struct ResourceReportTests {
    @Test func parsesGNUTimeOutput() {
        let report = ResourceReport.parse("Command terminated by signal 9\nturnstile-stats 1.50 0.75 0.25 2048\n")
        #expect(report == ResourceReport(signal: 9, cpuSeconds: 1.0, peakMemoryBytes: 2048 * 1024))
        #expect(ResourceReport.parse("Command exited with non-zero status 3\nturnstile-stats 0.00 0.00 0.00 10\n")?.signal == nil)
        #expect(ResourceReport.parse("Command terminated by signal 9\n") == nil, "no report line: the run was cut short")
    }

    @Test func readsBubblewrapStatus() {
        let status = "{ \"child-pid\": 4242, \"mnt-namespace\": 1 }\n{ \"exit-code\": 137 }\n"
        #expect(Sandbox.jsonInteger("child-pid", in: status) == 4242)
        #expect(Sandbox.jsonInteger("exit-code", in: status) == 137)
        #expect(Sandbox.jsonInteger("exit-code", in: "{ \"child-pid\": 1 }") == nil)
    }
}
