import ArgumentParser
import Foundation
import Gradebook
import Testing
@testable import TurnstileCLI

/// `turnstile grade`'s exit status tells a job array whether the shard's gradebook holds a
/// status for every student (0, 1, 2: merge it) or the batch never ran (3). A shard whose every
/// student failed to fetch once exited like a broken course, and the array's merge never ran.
@Suite(.serialized)
struct GradeExitStatusTests {
    @Test func everyStudentRecordedIsTwoAndABatchThatCannotRunIsThree() throws {
        let fixture = try CourseFixture()
        let roster = fixture.path("roster.csv")
        try "student_id,name,repository\nghost,Nobody,\(fixture.path("no-such-repository").path)\n"
            .write(to: roster, atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        let common = ["--roster", roster.path, "--db", database, "--cache", fixture.path("cache").path, "--no-sandbox", "--jobs", "1"]

        #expect(try turnstileExitStatus(["grade", "producer-consumer"] + common + ["--course", fixture.course.root.path]) == 2)
        let recorded = try GradebookStore(path: database).submissionDetail(studentID: "ghost", assignmentID: "producer-consumer")
        #expect(recorded?.submission.status == .fetchFailed, "the student is recorded, so the shard is done")

        #expect(try turnstileExitStatus(["grade", "producer-consumer"] + common + ["--course", fixture.path("no-course").path]) == 3)
        #expect(try turnstileExitStatus(["grade", "no-such-assignment"] + common + ["--course", fixture.course.root.path]) == 3)

        // The array task's own test of the status: 0–2 done, 3 failed.
        let script = try String(contentsOf: fixture.course.root.appendingPathComponent("grading/slurm/grade-array.sbatch"), encoding: .utf8)
        #expect(script.contains(#"[ "$status" -le 2 ]"#))
    }
}
