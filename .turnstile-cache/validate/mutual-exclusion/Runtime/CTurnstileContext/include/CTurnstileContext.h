#ifndef TURNSTILE_CONTEXT_H
#define TURNSTILE_CONTEXT_H
/// User-level execution contexts for the controlled engine: every logical thread runs on
/// its own stack (with a guard page) on one OS thread, and the scheduler switches between
/// them without the kernel. The first switch into a context starts it with `setcontext`;
/// every later switch is `_setjmp`/`_longjmp`, which does not touch the signal mask and so
/// costs no system call.
#include <stddef.h>

typedef struct turnstile_context turnstile_context;

/// Entry point of a context; it must never return (switch away instead).
typedef void (*turnstile_entry)(void *argument);

/// Allocates a context with a stack of `stack_size` bytes (rounded up to pages) plus one
/// inaccessible guard page below it. Returns NULL if memory cannot be mapped.
turnstile_context *turnstile_context_create(size_t stack_size);

/// A context for the calling OS thread itself (no stack of its own); used as the
/// scheduler's home. Returns NULL on allocation failure.
turnstile_context *turnstile_context_create_host(void);

/// Frees a context and unmaps its stack. Never destroy the running context.
void turnstile_context_destroy(turnstile_context *context);

/// Arms `context` so that the next switch into it calls `entry(argument)` on its own stack.
/// May be called again on a finished context to reuse its stack.
void turnstile_context_prepare(turnstile_context *context, turnstile_entry entry, void *argument);

/// Saves the running state into `from` and resumes `to`. Returns when something switches
/// back into `from`.
void turnstile_context_switch(turnstile_context *from, turnstile_context *to);

/// Lowest and highest addresses of the guard page, for reporting a stack overflow.
void turnstile_context_guard(const turnstile_context *context, const void **low, const void **high);

/// The controlled scheduler running on the calling OS thread, or NULL (thread-local, so
/// explorations on different OS threads do not see each other). Inline, so the native engine's
/// check on every runtime operation is one thread-local load.
extern _Thread_local void *turnstile_active_scheduler_slot;

static inline void *turnstile_active_scheduler(void) { return turnstile_active_scheduler_slot; }

/// A CPU hint for one turn of a spin loop (x86 `pause`, ARM `yield`).
static inline void turnstile_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

/// Sets the calling OS thread's active controlled scheduler (NULL to clear).
void turnstile_set_active_scheduler(void *scheduler);

#endif
