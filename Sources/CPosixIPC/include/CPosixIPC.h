#ifndef TURNSTILE_CPOSIXIPC_H
#define TURNSTILE_CPOSIXIPC_H
/// Thin, non-variadic wrappers for POSIX calls that Swift cannot call directly
/// (variadic `mq_open`, `open` with a mode).
#include <mqueue.h>

/// Opens or creates a POSIX message queue; returns the descriptor or -1 with errno set.
int turnstile_mq_open(const char *name, int oflag, unsigned int mode, long maxmsg, long msgsize);

#endif
