#define _GNU_SOURCE
#include "CPosixIPC.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int turnstile_mq_open(const char *name, int oflag, unsigned int mode, long maxmsg, long msgsize) {
    if ((oflag & O_CREAT) == 0) {
        return (int)mq_open(name, oflag);
    }
    struct mq_attr attr = {0};
    attr.mq_maxmsg = maxmsg;
    attr.mq_msgsize = msgsize;
    return (int)mq_open(name, oflag, (mode_t)mode, maxmsg > 0 ? &attr : NULL);
}

sem_t *turnstile_sem_open(const char *name, int oflag, unsigned int mode, unsigned int value) {
    sem_t *sem = (oflag & O_CREAT) ? sem_open(name, oflag, (mode_t)mode, value) : sem_open(name, oflag);
    return sem == SEM_FAILED ? NULL : sem;
}

static struct timespec deadline_after(clockid_t clock, int64_t timeout_ns) {
    struct timespec now;
    clock_gettime(clock, &now);
    int64_t nsec = (int64_t)now.tv_nsec + timeout_ns % 1000000000;
    now.tv_sec += (time_t)(timeout_ns / 1000000000) + (time_t)(nsec / 1000000000);
    now.tv_nsec = (long)(nsec % 1000000000);
    return now;
}

int turnstile_sem_wait_ns(sem_t *sem, int64_t timeout_ns) {
    struct timespec deadline = deadline_after(CLOCK_MONOTONIC, timeout_ns < 0 ? 0 : timeout_ns);
    return sem_clockwait(sem, CLOCK_MONOTONIC, &deadline);
}

int turnstile_futex_wait(uint32_t *address, uint32_t expected, int64_t timeout_ns) {
    struct timespec relative;
    struct timespec *timeout = NULL;
    if (timeout_ns >= 0) {
        relative.tv_sec = (time_t)(timeout_ns / 1000000000);
        relative.tv_nsec = (long)(timeout_ns % 1000000000);
        timeout = &relative;
    }
    // FUTEX_WAIT (not FUTEX_WAIT_PRIVATE): the word is in a MAP_SHARED mapping, and the
    // kernel must key the wait queue on the backing object, not this process's address space.
    long result = syscall(SYS_futex, address, FUTEX_WAIT, expected, timeout, NULL, 0);
    return result == 0 ? 0 : -1;
}

int turnstile_futex_wake(uint32_t *address, int count) {
    return (int)syscall(SYS_futex, address, FUTEX_WAKE, count, NULL, NULL, 0);
}

int turnstile_pin_to_cpu(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set);
}

int turnstile_allowed_cpu_count(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return -1;
    return CPU_COUNT(&set);
}

int turnstile_robust_mutex_init(void *mutex) {
    pthread_mutexattr_t attr;
    int result = pthread_mutexattr_init(&attr);
    if (result != 0) return result;
    if ((result = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED)) == 0 &&
        (result = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST)) == 0 &&
        (result = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK)) == 0) {
        result = pthread_mutex_init((pthread_mutex_t *)mutex, &attr);
    }
    pthread_mutexattr_destroy(&attr);
    return result;
}

size_t turnstile_mutex_size(void) { return sizeof(pthread_mutex_t); }

int turnstile_mutex_lock_ns(void *mutex, int64_t timeout_ns) {
    if (timeout_ns < 0) return pthread_mutex_lock((pthread_mutex_t *)mutex);
    struct timespec deadline = deadline_after(CLOCK_MONOTONIC, timeout_ns);
    return pthread_mutex_clocklock((pthread_mutex_t *)mutex, CLOCK_MONOTONIC, &deadline);
}

int turnstile_mutex_consistent(void *mutex) { return pthread_mutex_consistent((pthread_mutex_t *)mutex); }

int turnstile_mutex_unlock(void *mutex) { return pthread_mutex_unlock((pthread_mutex_t *)mutex); }

int turnstile_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int turnstile_set_pipe_size(int fd, int size) { return fcntl(fd, F_SETPIPE_SZ, size); }

int turnstile_affinity_get(void *mask) { return sched_getaffinity(0, sizeof(cpu_set_t), (cpu_set_t *)mask); }

int turnstile_affinity_set(const void *mask) { return sched_setaffinity(0, sizeof(cpu_set_t), (const cpu_set_t *)mask); }

size_t turnstile_affinity_size(void) { return sizeof(cpu_set_t); }

int turnstile_allowed_cpu(int n) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &set) && n-- == 0) return cpu;
    }
    return -1;
}
