#ifndef TURNSTILE_CPOSIXIPC_H
#define TURNSTILE_CPOSIXIPC_H
/// Thin, non-variadic wrappers for POSIX and Linux calls that Swift cannot call directly
/// (variadic `mq_open`, `sem_open`, `syscall`) plus a few tiny helpers that are clearer in C.
#include <mqueue.h>
#include <semaphore.h>
#include <stdint.h>
#include <sys/types.h>

/// Opens or creates a POSIX message queue; returns the descriptor or -1 with errno set.
int turnstile_mq_open(const char *name, int oflag, unsigned int mode, long maxmsg, long msgsize);

/// Opens or creates a named POSIX semaphore; returns NULL (not SEM_FAILED) with errno set on failure.
sem_t *turnstile_sem_open(const char *name, int oflag, unsigned int mode, unsigned int value);

/// Waits on a semaphore for at most `timeout_ns` nanoseconds of CLOCK_MONOTONIC time.
/// Returns 0 on success or -1 with errno set (ETIMEDOUT, EINTR, ...).
int turnstile_sem_wait_ns(sem_t *sem, int64_t timeout_ns);

/// FUTEX_WAIT on a word that may live in memory shared between processes (not the private
/// variant). Sleeps only while `*address == expected`, for at most `timeout_ns` (negative: no
/// limit). Returns 0 when woken, or -1 with errno EAGAIN (value changed), ETIMEDOUT or EINTR.
int turnstile_futex_wait(uint32_t *address, uint32_t expected, int64_t timeout_ns);

/// FUTEX_WAKE: wakes at most `count` waiters on `address`; returns the number woken or -1.
int turnstile_futex_wake(uint32_t *address, int count);

/// Sets the calling thread's CPU affinity to the single CPU `cpu`; returns 0 or -1 with errno.
int turnstile_pin_to_cpu(int cpu);

/// Copies the calling thread's CPU affinity mask into `mask` (`turnstile_affinity_size()` bytes).
int turnstile_affinity_get(void *mask);

/// Restores a mask saved by `turnstile_affinity_get`; returns 0 or -1 with errno.
int turnstile_affinity_set(const void *mask);

/// The size of an affinity mask in bytes.
size_t turnstile_affinity_size(void);

/// The index of the `n`-th CPU (from 0) the calling thread may run on, or -1.
int turnstile_allowed_cpu(int n);

/// The number of CPUs the calling thread may run on, or -1.
int turnstile_allowed_cpu_count(void);

/// Creates the robust, process-shared, error-checking mutex at `mutex` (memory that may be
/// shared between processes). Returns 0 or an errno value.
int turnstile_robust_mutex_init(void *mutex);

/// The size in bytes of `pthread_mutex_t`.
size_t turnstile_mutex_size(void);

/// Locks the mutex at `mutex`, waiting at most `timeout_ns` of CLOCK_MONOTONIC time.
/// Returns 0, EOWNERDEAD (acquired; the previous owner died holding it), ETIMEDOUT,
/// ENOTRECOVERABLE or another errno value.
int turnstile_mutex_lock_ns(void *mutex, int64_t timeout_ns);

/// Marks a robust mutex acquired with EOWNERDEAD consistent again; returns 0 or an errno value.
int turnstile_mutex_consistent(void *mutex);

/// Unlocks the mutex at `mutex`; returns 0 or an errno value.
int turnstile_mutex_unlock(void *mutex);

/// pipe2(fds, O_CLOEXEC); returns 0 or -1 with errno set.
int turnstile_pipe_cloexec(int fds[2]);

/// Sets a pipe's capacity (F_SETPIPE_SZ); returns the new size or -1 with errno set.
int turnstile_set_pipe_size(int fd, int size);

/// A CPU spin-wait hint (PAUSE on x86, YIELD on ARM): tells the core this is a busy-wait loop.
static inline void turnstile_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
