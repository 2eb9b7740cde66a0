import Foundation
import Gradebook
import Grading

/// The sample students of `turnstile demo`, each a real git repository made with libgit2.
struct DemoStudents {
    struct Student {
        var id: String
        var name: String
        var repository: String
    }

    let layout: CourseLayout
    let manifest: AssignmentManifest
    let root: URL
    let deadline: Date

    func create() throws -> [Student] {
        let studentFile = manifest.studentFiles[0]
        let solution = try String(contentsOf: layout.path(manifest.solutionDirectory).appendingPathComponent(studentFile), encoding: .utf8)
        let mutants = try Mutant.load(for: manifest, layout: layout)
        func mutant(_ id: String) throws -> String {
            guard let mutant = mutants.first(where: { $0.id == id }) else {
                throw GradingError.invalidManifest(manifest.id, reason: "the demo needs mutant \(id)")
            }
            return try mutant.sources(for: manifest, layout: layout)[studentFile] ?? ""
        }
        let broken = solution.replacingOccurrences(of: "let item = current.removeFirst()", with: "let item = current.removeFirst(")
        let specs: [(String, String, [(String, Date)])] = [
            ("s01", "Ada Lovelace", [(solution, deadline.addingTimeInterval(-86_400)),
                                     (broken, deadline.addingTimeInterval(1_800))]),
            ("s02", "Grace Hopper", [(try mutant("missing-lock"), deadline.addingTimeInterval(-7_200))]),
            ("s03", "Edsger Dijkstra", [(try mutant("single-condition-signal"), deadline.addingTimeInterval(-600))]),
            ("s04", "Barbara Liskov", [(broken, deadline.addingTimeInterval(-60))]),
        ]
        var students: [Student] = []
        for (id, name, commits) in specs {
            let directory = root.appendingPathComponent("students/\(id)")
            try Scaffolder(layout: layout, manifest: manifest).scaffold(into: directory, date: deadline.addingTimeInterval(-7 * 86_400))
            let repository = try LocalRepository(directory: directory)
            for (index, (text, date)) in commits.enumerated() {
                try text.write(to: directory.appendingPathComponent(studentFile), atomically: true, encoding: .utf8)
                try repository.commitAll(
                    message: index == 0 ? "Implement the bounded buffer" : "Tweak after the deadline",
                    author: (name, "\(id)@students.invalid"), date: date)
            }
            students.append(Student(id: id, name: name, repository: directory.path))
        }
        students.append(Student(id: "s05", name: "Ken Thompson", repository: root.appendingPathComponent("students/s05-never-pushed").path))
        return students
    }

    static func roster(_ students: [Student]) -> String {
        "student_id,name,repository\n" + students.map { CSV.encode([[$0.id, $0.name, $0.repository]]) }.joined()
    }
}
