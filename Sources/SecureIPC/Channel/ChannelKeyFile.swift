import Crypto
import Foundation

/// Static-key files for `turnstile channel`: the X25519 private key as 64 hexadecimal
/// characters and a newline, created with mode 0600.
public enum ChannelKeyFile {
    /// Generates a key and writes it to `path`.
    /// - Parameter overwrite: replace an existing file; otherwise an existing file is an error.
    /// - Returns: the new key (print its public half for the peer to pin).
    /// - Throws: ``ChannelKeyFileError``.
    @discardableResult
    public static func generate(at path: String, overwrite: Bool = false) throws -> Curve25519.KeyAgreement.PrivateKey {
        let key = Curve25519.KeyAgreement.PrivateKey()
        try write(key, to: path, overwrite: overwrite)
        return key
    }

    /// Writes a private key to `path` with mode 0600.
    /// - Throws: ``ChannelKeyFileError/exists(path:)`` or ``ChannelKeyFileError/io(path:reason:)``.
    public static func write(_ key: Curve25519.KeyAgreement.PrivateKey, to path: String, overwrite: Bool = false) throws {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else {
            throw errno == EEXIST ? ChannelKeyFileError.exists(path: path) : ChannelKeyFileError.io(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let text = Array((Hex.encode(key.rawRepresentation) + "\n").utf8)
        let written = text.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard written == text.count else { throw ChannelKeyFileError.io(path: path, reason: "short write") }
    }

    /// Reads a private key written by ``write(_:to:overwrite:)``.
    /// - Throws: ``ChannelKeyFileError/io(path:reason:)`` or ``ChannelKeyFileError/malformed(path:)``.
    public static func read(from path: String) throws -> Curve25519.KeyAgreement.PrivateKey {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ChannelKeyFileError.io(path: path, reason: error.localizedDescription)
        }
        return try parse(text, origin: path)
    }

    /// Parses a private key from 64 hex characters.
    public static func parse(_ text: String, origin: String = "argument") throws -> Curve25519.KeyAgreement.PrivateKey {
        guard let bytes = Hex.decode(text), bytes.count == 32,
            let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes)
        else { throw ChannelKeyFileError.malformed(path: origin) }
        return key
    }

    /// Parses a peer's public key from 64 hex characters (for pinning).
    public static func parsePublicKey(_ text: String) throws -> Curve25519.KeyAgreement.PublicKey {
        guard let bytes = Hex.decode(text), bytes.count == 32,
            let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes)
        else { throw ChannelKeyFileError.malformed(path: "public key") }
        return key
    }
}

/// Why a key file could not be used.
public enum ChannelKeyFileError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// The file already exists and overwriting was not asked for.
    case exists(path: String)
    /// The file is not 64 hexadecimal characters.
    case malformed(path: String)
    /// Reading or writing failed.
    case io(path: String, reason: String)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .exists(let path): "\(path) already exists; choose another path or pass --force to overwrite it"
        case .malformed(let path): "\(path) is not a key: expected 64 hexadecimal characters (run `turnstile channel keygen`)"
        case .io(let path, let reason): "cannot access \(path): \(reason)"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}
