import Foundation
import GRDB

/// A row of the `students` table, mapped through `Codable`: the column names are the coding keys.
///
/// The store converts it to and from the public ``StudentRecord``; nothing outside the store
/// sees a row type.
struct StoredStudent: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "students"

    var id: String
    var name: String
    var repository: String
    var canvasID: String?
    var sisUserID: String?
    var sisLoginID: String?
    var section: String?
    var email: String?
    var ltiUserID: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, repository, section, email
        case canvasID = "canvas_id"
        case sisUserID = "sis_user_id"
        case sisLoginID = "sis_login_id"
        case ltiUserID = "lti_user_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// A row holding `student`, created and updated at `now`.
    init(_ student: StudentRecord, at now: Date) {
        id = student.id
        name = student.name
        repository = student.repository
        createdAt = now
        updatedAt = now
        identity = student.identity
    }

    /// The LMS columns as one value. A new ``LMSIdentity/Field`` does not compile until it has
    /// a column here (and a migration adding it).
    var identity: LMSIdentity {
        get {
            var values: [LMSIdentity.Field: String] = [:]
            for field in LMSIdentity.Field.allCases {
                if let value = self[field] { values[field] = value }
            }
            return LMSIdentity(values)
        }
        set {
            for field in LMSIdentity.Field.allCases { self[field] = newValue[field] }
        }
    }

    private subscript(field: LMSIdentity.Field) -> String? {
        get {
            switch field {
            case .canvasID: canvasID
            case .sisUserID: sisUserID
            case .sisLoginID: sisLoginID
            case .section: section
            case .email: email
            case .ltiUserID: ltiUserID
            }
        }
        set {
            switch field {
            case .canvasID: canvasID = newValue
            case .sisUserID: sisUserID = newValue
            case .sisLoginID: sisLoginID = newValue
            case .section: section = newValue
            case .email: email = newValue
            case .ltiUserID: ltiUserID = newValue
            }
        }
    }

    /// The public record.
    var record: StudentRecord {
        StudentRecord(id: id, name: name, repository: repository, identity: identity)
    }
}
