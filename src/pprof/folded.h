/* Folded stacks as input: the text that FlameGraph's stackcollapse-* scripts (and inferno,
 * and cprof's own folded report) write, one "FRAME;FRAME;...;FRAME COUNT" line per stack,
 * frames from the root down, made a profile of one sample type, samples/count. */
#ifndef CPROF_PPROF_FOLDED_H
#define CPROF_PPROF_FOLDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/profile.h"
#include "util/error.h"

/* Reads the len bytes at data into p (new, from profile_new) as folded stacks. The input is
 * folded stacks when its first line that is not blank ends in a space and a decimal count;
 * then every other line must be a stack too. Returns 0 with p filled; -1 for a malformed
 * line ("folded stacks: line N ...", in err); -2, err untouched, for input that is not
 * folded stacks at all. A frame is any bytes but ';' and control characters (tab aside),
 * and a line of any length is read. After -1 p is only fit for profile_free. */
int folded_parse(const uint8_t *data, size_t len, struct profile *p, struct cprof_error *err);

/* Whether the first line of the n bytes at head (an input's start) is a folded stack: for
 * format detection, which then reads the input whole rather than streaming it. */
bool folded_sniff(const uint8_t *head, size_t n);

#endif
