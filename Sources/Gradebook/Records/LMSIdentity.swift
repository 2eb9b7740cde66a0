/// How a learning-management system knows a student, from optional roster columns; an export
/// for that system uses them (and falls back to the student id where one is absent).
public struct LMSIdentity: Codable, Hashable, Sendable {
    /// The roster columns, in the order exports and the gradebook list them.
    public enum Field: String, CaseIterable, Codable, Sendable {
        /// Canvas's own numeric user id (the `ID` column of its gradebook export).
        case canvasID = "canvas_id"
        /// The institution's SIS user id (Canvas `SIS User ID`, Moodle `ID number`).
        case sisUserID = "sis_user_id"
        /// The SIS login (Canvas `SIS Login ID`, Moodle `username`).
        case sisLoginID = "sis_login_id"
        /// The section (Canvas `Section`).
        case section
        /// The student's e-mail address (Moodle's usual identifier).
        case email
        /// The LTI `sub` of the student (the `userId` of an AGS score).
        case ltiUserID = "lti_user_id"
    }

    /// The values by field; a field never set is absent, never an empty string.
    public var values: [Field: String]

    /// An identity with `values` (empty strings dropped).
    public init(_ values: [Field: String] = [:]) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    /// The value of `field`, if the roster gave one.
    public subscript(field: Field) -> String? { values[field] }
}
