/// Swift source the type checker takes many seconds over, for tests of the build's limits.
///
/// Several top-level constants, each a sum mixing literal kinds (`Int`, `Double`, array
/// subscripts, conversions) under the overloaded `+`: each expression costs the solver seconds,
/// so a build with them cannot finish within a limit of a few seconds, yet no expression is so
/// hopeless that the compiler's scope count turns it into an error.
public enum TypeCheckerBomb {
    /// The declarations alone, to append to a file that already compiles.
    public static let declarations: String = {
        let term = (["1", "2.0", "[3][0]", "Int(4)", "5.5"] + ["1", "2.0", "[3][0]", "Int(4)", "5.5"]).joined(separator: " + ")
        return (0..<6).map { "let slow\($0) = \(term) + \(term) + \(term)\n" }.joined()
    }()
}
