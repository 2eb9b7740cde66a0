/// A side-channel demonstration: comparing a secret (a MAC tag, a password hash) with an
/// early-exit loop leaks how many leading bytes of a guess are right through how long the
/// comparison takes, which lets an attacker recover the secret byte by byte in about
/// 256 × length guesses instead of 256^length. A constant-time comparison does the same work
/// for every input.
///
/// The leak is shown two ways: deterministically, by counting the byte comparisons each variant
/// performs (the tests), and physically, by timing them (the `secure` benchmark suite, which
/// reports early-exit time for a guess matching all but the last byte over one wrong in the
/// first byte, next to the same ratio for the constant-time variant).
///
/// swift-crypto already compares its tags in constant time (`HashedAuthenticationCode ==`,
/// `isValidAuthenticationCode`); this type exists to teach why.
public enum ComparisonSideChannel {
    /// Compares like `memcmp` does: stops at the first difference.
    /// - Parameter work: incremented once per byte pair examined.
    public static func earlyExitEquals(_ secret: [UInt8], _ guess: [UInt8], work: inout Int) -> Bool {
        guard secret.count == guess.count else { return false }
        for index in secret.indices {
            work += 1
            if secret[index] != guess[index] { return false }
        }
        return true
    }

    /// Compares every byte whatever the inputs, accumulating differences without branching on them.
    /// - Parameter work: incremented once per byte pair examined (always the full length).
    public static func constantTimeEquals(_ secret: [UInt8], _ guess: [UInt8], work: inout Int) -> Bool {
        guard secret.count == guess.count else { return false }
        var difference: UInt8 = 0
        for index in secret.indices {
            work += 1
            difference |= secret[index] ^ guess[index]
        }
        return difference == 0
    }

    /// Recovers a secret using only the work counter of a comparison oracle, the way a timing
    /// attacker would use elapsed time: for each position, the byte whose guess makes the
    /// comparison run longest is the right one.
    /// - Parameters:
    ///   - length: secret length.
    ///   - oracle: compares a guess with the hidden secret and reports whether it matched and
    ///     the work it took.
    /// - Returns: the recovered bytes (the secret for the early-exit oracle, a wrong guess for
    ///   the constant-time one) and the number of oracle calls made.
    public static func recoverByWork(length: Int, oracle: ([UInt8]) -> (matched: Bool, work: Int)) -> (guess: [UInt8], queries: Int) {
        var known: [UInt8] = []
        var queries = 0
        for _ in 0..<length {
            var best: (byte: UInt8, work: Int) = (0, -1)
            for candidate in 0...255 {
                var guess = known + [UInt8(candidate)]
                guess += [UInt8](repeating: 0, count: length - guess.count)
                let answer = oracle(guess)
                queries += 1
                if answer.matched { return (guess, queries) }
                if answer.work > best.work { best = (UInt8(candidate), answer.work) }
            }
            known.append(best.byte)
        }
        return (known, queries)
    }
}
