import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The JUnit XML export (the Jenkins `junit-10.xsd` shape most CI and LMS plug-ins read): one
/// `testsuite` per student and assignment, one `testcase` per check.
///
/// A failed check carries a `failure` (its property as `type`, its message); a crash, a
/// timeout or an incomplete run an `error`; a check that did not run (the build failed) is
/// `skipped`. The suite's properties hold the score, status and commit. Built with
/// Foundation's XML tree, which escapes every name and message.
enum JUnitReport {
    static func render(grades: [GradeRow], checks: [Int64: [CheckResultRecord]]) -> String {
        let root = XMLElement(name: "testsuites")
        var totals = (tests: 0, failures: 0, errors: 0, skipped: 0, time: 0.0)
        for grade in grades {
            let suite = self.suite(grade, checks[grade.submissionID] ?? [])
            root.addChild(suite.element)
            totals.tests += suite.counts.tests
            totals.failures += suite.counts.failures
            totals.errors += suite.counts.errors
            totals.skipped += suite.counts.skipped
            totals.time += suite.counts.time
        }
        root.setAttributesWith([
            "name": "turnstile", "tests": "\(totals.tests)", "failures": "\(totals.failures)", "errors": "\(totals.errors)",
            "skipped": "\(totals.skipped)", "time": seconds(totals.time),
        ])
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return String(decoding: document.xmlData(options: [.nodePrettyPrint]), as: UTF8.self) + "\n"
    }

    private static func suite(
        _ grade: GradeRow, _ checks: [CheckResultRecord]
    ) -> (element: XMLElement, counts: (tests: Int, failures: Int, errors: Int, skipped: Int, time: Double)) {
        let suite = XMLElement(name: "testsuite")
        let properties = XMLElement(name: "properties")
        let values: [(String, String)] = [
            ("student", grade.studentID), ("name", grade.name), ("assignment", grade.assignmentID),
            ("score", ScoreText.format(grade.score)), ("max_score", ScoreText.format(grade.maxScore)),
            ("status", grade.status.rawValue), ("commit", grade.commitID ?? ""), ("checks_version", grade.checksVersion),
        ]
        for (name, value) in values {
            let property = XMLElement(name: "property")
            property.setAttributesWith(["name": name, "value": value])
            properties.addChild(property)
        }
        suite.addChild(properties)
        var counts = (tests: 0, failures: 0, errors: 0, skipped: 0, time: 0.0)
        for check in checks {
            let testcase = XMLElement(name: "testcase")
            testcase.setAttributesWith([
                "name": check.checkID, "classname": "\(grade.assignmentID).\(grade.studentID)", "time": seconds(check.durationSeconds),
            ])
            let type = check.property ?? check.outcome.rawValue
            switch check.outcome {
            case .passed:
                break
            case .failed:
                counts.failures += 1
                testcase.addChild(child("failure", message: check.message.firstLine, type: type, text: check.message))
            case .skipped:
                counts.skipped += 1
                testcase.addChild(child("skipped", message: check.message.firstLine, type: nil, text: nil))
            default:
                counts.errors += 1
                testcase.addChild(child("error", message: check.message.firstLine, type: type, text: check.message))
            }
            if check.maxPoints == 0 { testcase.addChild(XMLElement(name: "system-out", stringValue: "not scored (a run on real threads)")) }
            suite.addChild(testcase)
            counts.tests += 1
            counts.time += check.durationSeconds
        }
        suite.setAttributesWith([
            "name": "\(grade.assignmentID)/\(grade.studentID)", "tests": "\(counts.tests)", "failures": "\(counts.failures)",
            "errors": "\(counts.errors)", "skipped": "\(counts.skipped)", "time": seconds(counts.time),
            "timestamp": DateText.format(grade.gradedAt),
        ])
        return (suite, counts)
    }

    private static func child(_ name: String, message: String, type: String?, text: String?) -> XMLElement {
        let element = XMLElement(name: name, stringValue: text)
        var attributes = ["message": message]
        if let type { attributes["type"] = type }
        element.setAttributesWith(attributes)
        return element
    }


    private static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }
}
