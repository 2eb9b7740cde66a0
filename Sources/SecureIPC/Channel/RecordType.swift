/// The first plaintext byte of every transport record a ``SecureChannel`` sends.
///
/// Noise transport messages carry opaque bytes; the channel adds this one-byte type inside the
/// encryption so end-of-stream and rekey are authenticated like data. A peer speaking plain
/// Noise interoperates by prefixing `0x00` to data and handling `0x01` and `0x02`.
enum RecordType: UInt8 {
    /// Application data follows.
    case data = 0
    /// The sender will send nothing more; a transport end without it is truncation.
    case endOfStream = 1
    /// The sender rekeyed its sending key right after this record; the receiver rekeys too.
    case rekey = 2
}
