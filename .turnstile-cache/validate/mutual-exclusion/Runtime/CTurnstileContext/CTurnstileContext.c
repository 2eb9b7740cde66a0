#define _GNU_SOURCE
#include "CTurnstileContext.h"
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

struct turnstile_context {
    jmp_buf jump;
    ucontext_t start;
    int started;
    void *mapping;
    size_t mapping_size;
    size_t page;
    turnstile_entry entry;
    void *argument;
};

static void turnstile_trampoline(unsigned int high, unsigned int low) {
    turnstile_context *context = (turnstile_context *)(((uintptr_t)high << 32) | (uintptr_t)low);
    context->entry(context->argument);
    abort(); /* an entry must switch away, never return */
}

turnstile_context *turnstile_context_create(size_t stack_size) {
    turnstile_context *context = calloc(1, sizeof(turnstile_context));
    if (context == NULL) return NULL;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t pages = (stack_size + page - 1) / page;
    context->page = page;
    context->mapping_size = (pages + 1) * page;
    context->mapping = mmap(NULL, context->mapping_size, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (context->mapping == MAP_FAILED) {
        free(context);
        return NULL;
    }
    /* The stack grows down: the lowest page is the guard. */
    if (mprotect(context->mapping, page, PROT_NONE) != 0) {
        munmap(context->mapping, context->mapping_size);
        free(context);
        return NULL;
    }
    return context;
}

turnstile_context *turnstile_context_create_host(void) {
    turnstile_context *context = calloc(1, sizeof(turnstile_context));
    if (context != NULL) context->started = 1;
    return context;
}

void turnstile_context_destroy(turnstile_context *context) {
    if (context == NULL) return;
    if (context->mapping != NULL) munmap(context->mapping, context->mapping_size);
    free(context);
}

void turnstile_context_prepare(turnstile_context *context, turnstile_entry entry, void *argument) {
    context->entry = entry;
    context->argument = argument;
    context->started = 0;
    getcontext(&context->start);
    context->start.uc_stack.ss_sp = (char *)context->mapping + context->page;
    context->start.uc_stack.ss_size = context->mapping_size - context->page;
    context->start.uc_link = NULL;
    uintptr_t pointer = (uintptr_t)context;
    makecontext(&context->start, (void (*)(void))turnstile_trampoline, 2,
                (unsigned int)(pointer >> 32), (unsigned int)(pointer & 0xffffffffu));
}

void turnstile_context_switch(turnstile_context *from, turnstile_context *to) {
    if (_setjmp(from->jump) != 0) return;
    if (!to->started) {
        to->started = 1;
        setcontext(&to->start);
    }
    _longjmp(to->jump, 1);
}

void turnstile_context_guard(const turnstile_context *context, const void **low, const void **high) {
    *low = context->mapping;
    *high = context->mapping == NULL ? NULL : (const char *)context->mapping + context->page;
}

_Thread_local void *turnstile_active_scheduler_slot = NULL;

void turnstile_set_active_scheduler(void *scheduler) { turnstile_active_scheduler_slot = scheduler; }
