#include "CPosixIPC.h"
#include <fcntl.h>
#include <stddef.h>

int turnstile_mq_open(const char *name, int oflag, unsigned int mode, long maxmsg, long msgsize) {
    if ((oflag & O_CREAT) == 0) {
        return (int)mq_open(name, oflag);
    }
    struct mq_attr attr = {0};
    attr.mq_maxmsg = maxmsg;
    attr.mq_msgsize = msgsize;
    return (int)mq_open(name, oflag, (mode_t)mode, maxmsg > 0 ? &attr : NULL);
}
