/* pprof's local symbolization of a profile from the binaries its mappings name (go tool
 * pprof's object tool: Go pclntab, else DWARF; see symbolize/objfile.h), and its search
 * for those binaries under $PPROF_BINARY_PATH. Warnings go to the stream given, worded as
 * pprof words them; nothing here fails: what cannot be resolved stays an address. */
#ifndef CPROF_SYMBOLIZE_LOCAL_H
#define CPROF_SYMBOLIZE_LOCAL_H

#include <stdbool.h>
#include <stdio.h>

#include "model/profile.h"

/* pprof's locateBinaries, before the main binary's overrides: each mapping's file is
 * looked for in the directories of search (colon-separated; NULL or "" means
 * $HOME/pprof/binaries) by build id, base name and full path, and the first object file
 * found replaces the mapping's file. As in go tool pprof, whose object tool reads no build
 * id, a mapping with a build id never takes a file found, and each one is named on warn. */
void symbolize_locate(struct profile *p, const char *search, FILE *warn);

/* pprof's doLocalSymbolize: the mappings p's samples use that are not symbolized yet (or
 * all, with force) and name a file are opened, and every location of theirs with an
 * address the file knows gets that one frame (function, file, line) in place of its
 * lines; the mapping's has_* flags follow. */
void symbolize_local(struct profile *p, bool force, FILE *warn);

#endif
