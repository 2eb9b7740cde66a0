#!/usr/bin/env python3
"""An independent Noise_XX_25519_ChaChaPoly_SHA256 peer for the SecureIPC interop test.

Speaks over stdin/stdout with a 2-byte big-endian length before every message. Usage:
    noise_peer.py initiator|responder STATIC_PRIVATE_KEY_HEX [PROLOGUE_HEX]

After the handshake it speaks Turnstile's record layer (the first plaintext byte is the record
type: 0 data, 1 end-of-stream, 2 rekey):
  1. sends a data record: b"hash:" + handshake hash
  2. sends a rekey record, then rekeys its outbound cipher
  3. for every data record received, replies with a data record b"echo:" + payload
     (a rekey record from the peer rekeys the inbound cipher)
  4. on end-of-stream, sends its own end-of-stream record and exits 0.
With a last argument `plain` it speaks plain Noise transport messages instead (no type byte):
it sends b"hash:" + handshake hash, echoes b"echo:" + each message, and exits 0 when its input
ends. Errors go to stderr with exit status 1.
"""
import sys

from noise.connection import Keypair, NoiseConnection

PROTOCOL = b"Noise_XX_25519_ChaChaPoly_SHA256"


def read_frame(stream):
    header = stream.read(2)
    if len(header) < 2:
        raise EOFError("stream ended before a frame")
    length = int.from_bytes(header, "big")
    body = stream.read(length)
    if len(body) < length:
        raise EOFError("stream ended inside a frame")
    return body


def write_frame(stream, data):
    stream.write(len(data).to_bytes(2, "big") + bytes(data))
    stream.flush()


def main():
    arguments = sys.argv[1:]
    plain = arguments[-1] == "plain"
    if plain:
        arguments = arguments[:-1]
    role, key_hex = arguments[0], arguments[1]
    prologue = bytes.fromhex(arguments[2]) if len(arguments) > 2 else b""
    source, sink = sys.stdin.buffer, sys.stdout.buffer

    noise = NoiseConnection.from_name(PROTOCOL)
    if role == "initiator":
        noise.set_as_initiator()
    else:
        noise.set_as_responder()
    noise.set_keypair_from_private_bytes(Keypair.STATIC, bytes.fromhex(key_hex))
    noise.set_prologue(prologue)
    noise.start_handshake()

    my_turn = role == "initiator"
    while not noise.handshake_finished:
        if my_turn:
            write_frame(sink, noise.write_message())
        else:
            noise.read_message(read_frame(source))
        my_turn = not my_turn

    if plain:
        write_frame(sink, noise.encrypt(b"hash:" + noise.get_handshake_hash()))
        while True:
            try:
                message = read_frame(source)
            except EOFError:
                return 0
            write_frame(sink, noise.encrypt(b"echo:" + noise.decrypt(message)))

    write_frame(sink, noise.encrypt(b"\x00hash:" + noise.get_handshake_hash()))
    write_frame(sink, noise.encrypt(b"\x02"))
    noise.rekey_outbound_cipher()

    while True:
        record = noise.decrypt(read_frame(source))
        kind, payload = record[0], record[1:]
        if kind == 0:
            write_frame(sink, noise.encrypt(b"\x00echo:" + payload))
        elif kind == 2:
            noise.rekey_inbound_cipher()
        elif kind == 1:
            write_frame(sink, noise.encrypt(b"\x01"))
            return 0
        else:
            raise ValueError("unknown record type %d" % kind)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # report any failure to the test through stderr
        print("noise_peer: %s: %s" % (type(error).__name__, error), file=sys.stderr)
        sys.exit(1)
