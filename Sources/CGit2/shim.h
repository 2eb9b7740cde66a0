#ifndef TURNSTILE_CGIT2_SHIM_H
#define TURNSTILE_CGIT2_SHIM_H
#include <git2.h>
#endif
