/* Reading source positions from an executable as go tool pprof's object tool does: Go's
 * pclntab first (debug/gosym's rules, including what it gives up on), then DWARF; see
 * objfile.h. Every read of the file's bytes is bounds-checked: a malformed table is
 * answered as Go answers one it recovers from (no position), never by a crash. */
#include "symbolize/objfile.h"

#include <ctype.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbolize/dwarfline.h"
#include "util/xalloc.h"

/* A byte range of the pclntab; Go's slices of it. */
struct bytes {
	const uint8_t *p;
	size_t n;
};

enum pcln_version { VER_NONE, VER_12, VER_116, VER_118 };

struct gofunc {
	uint64_t entry, end;
	const char *name; /* NUL-terminated inside the table */
};

struct pcln {
	enum pcln_version version;
	bool big_endian;
	uint32_t quantum, ptrsize, nfunctab, nfiletab;
	uint64_t text_start;
	struct bytes data, funcnametab, cutab, filetab, pctab, funcdata, functab;
	struct gofunc *funcs;
	size_t n_funcs;
};

struct objfile {
	int fd; /* -1 for an image in memory */
	Elf *elf;
	uint64_t offset; /* subtracted from addresses: load start minus the segment's address */
	struct pcln pcln;
	Dwarf *dwarf;
	bool tried_dwarf;
	struct dwarfline_sections lines;
	char **strs; /* file names made here, freed at close */
	size_t n_strs, cap_strs;
};

/* Go's slice b[off:], or false where Go would panic. */
static bool tail(struct bytes b, uint64_t off, struct bytes *out)
{
	if (off > b.n)
		return false;
	out->p = b.p + off;
	out->n = b.n - off;
	return true;
}

static bool u32(const struct pcln *t, struct bytes b, uint64_t off, uint32_t *v)
{
	if (off > b.n || b.n - off < 4)
		return false;
	const uint8_t *p = b.p + off;
	*v = t->big_endian
		     ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		     : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
	return true;
}

/* A word of size bytes (4 or 8) at b[off:]. */
static bool word(const struct pcln *t, struct bytes b, uint64_t off, uint32_t size, uint64_t *v)
{
	uint32_t lo, hi;
	if (size == 4) {
		if (!u32(t, b, off, &lo))
			return false;
		*v = lo;
		return true;
	}
	if (off > UINT64_MAX - 4 || !u32(t, b, off, &lo) || !u32(t, b, off + 4, &hi))
		return false;
	*v = t->big_endian ? (uint64_t)lo << 32 | hi : (uint64_t)hi << 32 | lo;
	return true;
}

static uint32_t field_size(const struct pcln *t)
{
	return t->version >= VER_118 ? 4 : t->ptrsize;
}

/* The functab's i'th PC. */
static bool ft_pc(const struct pcln *t, uint64_t i, uint64_t *pc)
{
	uint32_t sz = field_size(t);
	if (!word(t, t->functab, 2 * i * sz, sz, pc))
		return false;
	if (t->version >= VER_118)
		*pc += t->text_start;
	return true;
}

/* The i'th function's _func record: funcdata[funcOff(i):]. */
static bool func_data(const struct pcln *t, uint64_t i, struct bytes *fd)
{
	uint32_t sz = field_size(t);
	uint64_t off;
	return word(t, t->functab, (2 * i + 1) * sz, sz, &off) && tail(t->funcdata, off, fd);
}

static bool func_entry(const struct pcln *t, struct bytes fd, uint64_t *entry)
{
	if (t->version >= VER_118) {
		uint32_t e;
		if (!u32(t, fd, 0, &e))
			return false;
		*entry = e + t->text_start;
		return true;
	}
	return word(t, fd, 0, t->ptrsize, entry);
}

/* The _func field n (1..9): nameoff 1, pcfile 5, pcln 6, cuOffset 8. */
static bool func_field(const struct pcln *t, struct bytes fd, uint32_t n, uint32_t *v)
{
	uint32_t sz0 = t->version >= VER_118 ? 4 : t->ptrsize;
	return u32(t, fd, sz0 + (uint64_t)(n - 1) * 4, v);
}

/* The NUL-terminated string at arr[off:], or NULL where Go would panic. */
static const char *cstring(struct bytes arr, uint64_t off)
{
	if (off >= arr.n)
		return NULL;
	return memchr(arr.p + off, 0, arr.n - off) ? (const char *)arr.p + off : NULL;
}

/* debug/gosym's parsePclnTab; leaves version VER_NONE for anything else (Go's "1.1"). */
static void pcln_parse(struct pcln *t)
{
	const uint8_t *d = t->data.p;
	if (t->data.n < 16 || d[4] || d[5] || (d[6] != 1 && d[6] != 2 && d[6] != 4) ||
	    (d[7] != 4 && d[7] != 8))
		return;
	uint32_t le = (uint32_t)d[3] << 24 | (uint32_t)d[2] << 16 | (uint32_t)d[1] << 8 | d[0];
	uint32_t be = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
	enum pcln_version v;
	if (le == 0xfffffffb || be == 0xfffffffb)
		v = VER_12;
	else if (le == 0xfffffffa || be == 0xfffffffa)
		v = VER_116;
	else if (le == 0xfffffff0 || be == 0xfffffff0)
		v = VER_118;
	else
		return;
	struct pcln p = *t;
	p.big_endian = !(le == 0xfffffffb || le == 0xfffffffa || le == 0xfffffff0);
	p.version = v;
	p.quantum = d[6];
	p.ptrsize = d[7];
	uint64_t w[8];
	size_t nw = v == VER_118 ? 8 : v == VER_116 ? 7 : 1;
	for (size_t i = 0; i < nw; i++)
		if (!word(&p, p.data, 8 + i * p.ptrsize, p.ptrsize, &w[i]))
			return;
	p.nfunctab = (uint32_t)w[0];
	uint64_t functab_size;
	if (v == VER_118 || v == VER_116) {
		size_t b = v == VER_118 ? 3 : 2;
		p.nfiletab = (uint32_t)w[1];
		if (!tail(p.data, w[b], &p.funcnametab) || !tail(p.data, w[b + 1], &p.cutab) ||
		    !tail(p.data, w[b + 2], &p.filetab) || !tail(p.data, w[b + 3], &p.pctab) ||
		    !tail(p.data, w[b + 4], &p.funcdata))
			return;
		p.functab = p.funcdata;
		functab_size = ((uint64_t)p.nfunctab * 2 + 1) * field_size(&p);
		if (functab_size > p.functab.n)
			return;
		p.functab.n = functab_size;
	} else {
		p.funcdata = p.funcnametab = p.pctab = p.data;
		if (!tail(p.data, 8 + p.ptrsize, &p.functab))
			return;
		functab_size = ((uint64_t)p.nfunctab * 2 + 1) * field_size(&p);
		uint32_t fileoff, nfile;
		if (!u32(&p, p.functab, functab_size, &fileoff))
			return;
		p.functab.n = functab_size;
		if (!tail(p.data, fileoff, &p.filetab) || !u32(&p, p.filetab, 0, &nfile) ||
		    (uint64_t)nfile * 4 > p.filetab.n)
			return;
		p.nfiletab = nfile;
		p.filetab.n = (uint64_t)nfile * 4;
	}
	*t = p;
}

/* debug/gosym's go12Funcs: every function's range and name, or none at all when any of
 * them cannot be read (Go recovers from the panic with an empty table). */
static void pcln_funcs(struct pcln *t)
{
	if (t->version == VER_NONE || t->nfunctab == 0)
		return;
	struct gofunc *f = xcalloc(t->nfunctab, sizeof(*f));
	for (uint32_t i = 0; i < t->nfunctab; i++) {
		struct bytes fd;
		uint32_t nameoff;
		if (!ft_pc(t, i, &f[i].entry) || !ft_pc(t, (uint64_t)i + 1, &f[i].end) ||
		    !func_data(t, i, &fd) || !func_field(t, fd, 1, &nameoff) ||
		    !(f[i].name = cstring(t->funcnametab, nameoff))) {
			free(f);
			return;
		}
	}
	t->funcs = f;
	t->n_funcs = t->nfunctab;
}

/* debug/gosym's Table.PCToFunc: a binary search that trusts the table's order. */
static const struct gofunc *pc_to_func(const struct pcln *t, uint64_t pc)
{
	const struct gofunc *f = t->funcs;
	size_t n = t->n_funcs;
	while (n > 0) {
		size_t m = n / 2;
		if (pc < f[m].entry) {
			n = m;
		} else if (pc < f[m].end) {
			return &f[m];
		} else {
			f += m + 1;
			n -= m + 1;
		}
	}
	return NULL;
}

/* debug/gosym's findFunc: the _func record of the function holding pc. */
static bool find_func(const struct pcln *t, uint64_t pc, struct bytes *fd)
{
	uint64_t first, last;
	if (!ft_pc(t, 0, &first) || !ft_pc(t, t->nfunctab, &last) || pc < first || pc >= last)
		return false;
	/* sort.Search: the first index whose PC is past pc. */
	uint64_t lo = 0, hi = t->nfunctab;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2, mpc;
		if (!ft_pc(t, mid, &mpc))
			return false;
		if (mpc > pc)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo > 0 && func_data(t, lo - 1, fd);
}

static bool varint(struct bytes *p, uint32_t *v)
{
	uint32_t r = 0;
	for (uint32_t shift = 0;; shift += 7) {
		if (p->n == 0)
			return false;
		uint8_t b = *p->p++;
		p->n--;
		r |= shift < 32 ? (uint32_t)(b & 0x7f) << shift : 0;
		if (!(b & 0x80))
			break;
	}
	*v = r;
	return true;
}

/* debug/gosym's pcvalue: the value of the pc-value table at off for targetpc; -1 when
 * the table ends first. ok goes false where Go would panic. */
static int32_t pcvalue(const struct pcln *t, uint32_t off, uint64_t entry, uint64_t targetpc,
		       bool *ok)
{
	struct bytes p;
	if (!tail(t->pctab, off, &p)) {
		*ok = false;
		return -1;
	}
	int32_t val = -1;
	uint64_t pc = entry;
	for (;;) {
		bool first = pc == entry;
		uint32_t uv, pcdelta;
		if (!varint(&p, &uv)) {
			*ok = false;
			return -1;
		}
		if (uv == 0 && !first)
			return -1;
		uv = uv & 1 ? ~(uv >> 1) : uv >> 1;
		if (!varint(&p, &pcdelta)) {
			*ok = false;
			return -1;
		}
		pc += (uint64_t)(uint32_t)(pcdelta * t->quantum);
		val = (int32_t)((uint32_t)val + uv);
		if (targetpc < pc)
			return val;
	}
}

static int64_t pc_to_line(const struct pcln *t, uint64_t pc)
{
	struct bytes fd;
	uint64_t entry;
	uint32_t linetab;
	bool ok = true;
	if (!find_func(t, pc, &fd))
		return -1;
	if (!func_entry(t, fd, &entry) || !func_field(t, fd, 6, &linetab))
		return -1;
	int32_t v = pcvalue(t, linetab, entry, pc, &ok);
	return ok ? v : -1;
}

static const char *pc_to_file(const struct pcln *t, uint64_t pc)
{
	struct bytes fd;
	uint64_t entry;
	uint32_t filetab;
	bool ok = true;
	if (!find_func(t, pc, &fd) || !func_entry(t, fd, &entry) || !func_field(t, fd, 5, &filetab))
		return "";
	int32_t fno = pcvalue(t, filetab, entry, pc, &ok);
	if (!ok)
		return "";
	const char *s;
	if (t->version == VER_12) {
		uint32_t off;
		if (fno <= 0 || !u32(t, t->filetab, 4 * (uint64_t)fno, &off))
			return "";
		s = cstring(t->funcdata, off);
		return s ? s : "";
	}
	uint32_t cuoff, fnoff;
	if (fno < 0 || !func_field(t, fd, 8, &cuoff))
		return "";
	/* Go computes the index in uint32 arithmetic, wrapping as it does. */
	if (!u32(t, t->cutab, (uint32_t)((cuoff + (uint32_t)fno) * 4), &fnoff))
		return "";
	if (fnoff == UINT32_MAX)
		return "";
	s = cstring(t->filetab, fnoff);
	return s ? s : "";
}

/* The first section named name, or NULL. */
static Elf_Scn *section(Elf *elf, const char *name)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return NULL;
	for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
		GElf_Shdr sh;
		const char *n;
		if (gelf_getshdr(s, &sh) && (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    strcmp(n, name) == 0)
			return s;
	}
	return NULL;
}

/* The address of the symbol runtime.text in .symtab, as objfile looks for it. */
static bool runtime_text(Elf *elf, uint64_t *addr)
{
	for (Elf_Scn *s = elf_nextscn(elf, NULL); s; s = elf_nextscn(elf, s)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(s, &sh) || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0)
			continue;
		Elf_Data *d = elf_getdata(s, NULL);
		if (!d)
			return false;
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 1; i < n; i++) {
			GElf_Sym sym;
			const char *name;
			if (gelf_getsym(d, (int)i, &sym) &&
			    (name = elf_strptr(elf, sh.sh_link, sym.st_name)) &&
			    strcmp(name, "runtime.text") == 0) {
				*addr = sym.st_value;
				return true;
			}
		}
		return false;
	}
	return false;
}

static void pcln_load(struct objfile *f)
{
	Elf_Scn *text = section(f->elf, ".text"), *tab = section(f->elf, ".gopclntab");
	GElf_Shdr sh;
	if (text && gelf_getshdr(text, &sh))
		f->pcln.text_start = sh.sh_addr;
	runtime_text(f->elf, &f->pcln.text_start);
	Elf_Data *d;
	if (!tab || !gelf_getshdr(tab, &sh) || sh.sh_type == SHT_NOBITS ||
	    !(d = elf_getdata(tab, NULL)) || !d->d_buf)
		return;
	f->pcln.data.p = d->d_buf;
	f->pcln.data.n = d->d_size;
	pcln_parse(&f->pcln);
	pcln_funcs(&f->pcln);
}

/* The objfile for elf (made from fd, or from memory when fd is -1), or an error naming
 * what (a path, or the memory image's name). */
static int adopt(Elf *elf, int fd, const char *what, uint64_t start, struct objfile **out,
		 struct cprof_error *err)
{
	GElf_Ehdr eh;
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		elf_end(elf);
		if (fd >= 0)
			close(fd);
		return error_set(err, "open %s: unrecognized object file", what);
	}
	struct objfile *f = xcalloc(1, sizeof(*f));
	f->fd = fd;
	f->elf = elf;
	size_t nph;
	if (start != 0 && elf_getphdrnum(elf, &nph) == 0) {
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;
			if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
			    (ph.p_flags & PF_X)) {
				f->offset = start - ph.p_vaddr;
				break;
			}
		}
	}
	pcln_load(f);
	*out = f;
	return 0;
}

int objfile_open(const char *path, uint64_t start, struct objfile **out, struct cprof_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* Go's syscall error strings are glibc's with a lower-case first letter. */
		const char *e = strerror(errno);
		return error_set(err, "open %s: %c%s", path, tolower((unsigned char)e[0]), e + 1);
	}
	elf_version(EV_CURRENT);
	return adopt(elf_begin(fd, ELF_C_READ_MMAP, NULL), fd, path, start, out, err);
}

int objfile_open_memory(void *image, size_t n, const char *name, uint64_t start,
			struct objfile **out, struct cprof_error *err)
{
	elf_version(EV_CURRENT);
	return adopt(elf_memory(image, n), -1, name, start, out, err);
}

/* A file name made here, kept until close. */
static const char *keep(struct objfile *f, char *s)
{
	XGROW(f->strs, f->cap_strs, f->n_strs + 1);
	f->strs[f->n_strs++] = s;
	return s;
}

/* Whether die's ranges hold addr; -1 when they cannot be read. */
static int die_holds(Dwarf_Die *die, Dwarf_Addr addr)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;
	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0)
		if (lo <= addr && addr < hi)
			return 1;
	return off < 0 && dwarf_hasattr(die, DW_AT_ranges) ? -1 : 0;
}

/* The first subprogram in preorder after the unit's DIE, in this unit or a later one,
 * whose ranges hold addr and that has a name of its own: what pprof's reader loop finds. */
static const char *subprogram_name(Dwarf *dw, Dwarf_Off unit_off, Dwarf_Addr addr, bool *bad)
{
	Dwarf_Off off = unit_off, next;
	size_t hsize;
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, stack[256];
		int depth = 0;
		if (!dwarf_offdie(dw, off + hsize, &cu))
			break;
		if (dwarf_child(&cu, &stack[0]) == 0) {
			for (;;) {
				Dwarf_Die *d = &stack[depth];
				if (dwarf_tag(d) == DW_TAG_subprogram) {
					int h = die_holds(d, addr);
					if (h < 0) {
						*bad = true;
						return NULL;
					}
					Dwarf_Attribute a;
					const char *name;
					if (h && dwarf_attr(d, DW_AT_name, &a) &&
					    (name = dwarf_formstring(&a)))
						return name;
				}
				if (depth + 1 < 256 && dwarf_child(d, &stack[depth + 1]) == 0) {
					depth++;
					continue;
				}
				while (depth >= 0 &&
				       dwarf_siblingof(&stack[depth], &stack[depth]) != 0)
					depth--;
				if (depth < 0)
					break;
			}
		}
		off = next;
	}
	return NULL;
}

/* The bytes of a DWARF section, by its name or its .zdebug_ name, decompressed. */
static void debug_section(Elf *elf, const char *name, const uint8_t **p, size_t *n)
{
	char zname[64];
	snprintf(zname, sizeof(zname), ".z%s", name + 1);
	Elf_Scn *scn = section(elf, name);
	bool gnu = false;
	if (!scn) {
		scn = section(elf, zname);
		gnu = scn != NULL;
	}
	GElf_Shdr sh;
	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
		return;
	if (sh.sh_flags & SHF_COMPRESSED) {
		if (elf_compress(scn, 0, 0) < 0)
			return;
	} else if (gnu) {
		Elf_Data *raw = elf_rawdata(scn, NULL);
		if (raw && raw->d_size >= 4 && memcmp(raw->d_buf, "ZLIB", 4) == 0 &&
		    elf_compress_gnu(scn, 0, 0) < 0)
			return;
	}
	Elf_Data *d = elf_getdata(scn, NULL);
	if (d && d->d_buf) {
		*p = d->d_buf;
		*n = d->d_size;
	}
}

/* pprof's dwarfSourceLine: the unit whose ranges hold addr, its line table's row for
 * addr (Go's reader, symbolize/dwarfline.h), and the name of the subprogram holding addr.
 * No inlined frames: pprof's object tool reports none. */
static int dwarf_line(struct objfile *f, uint64_t addr, struct objframe *fr)
{
	if (!f->tried_dwarf) {
		f->tried_dwarf = true;
		f->dwarf = dwarf_begin_elf(f->elf, DWARF_C_READ, NULL);
		if (f->dwarf) {
			struct dwarfline_sections *s = &f->lines;
			GElf_Ehdr eh;
			s->big_endian = gelf_getehdr(f->elf, &eh) &&
					eh.e_ident[EI_DATA] == ELFDATA2MSB;
			debug_section(f->elf, ".debug_line", &s->line, &s->n_line);
			debug_section(f->elf, ".debug_str", &s->str, &s->n_str);
			debug_section(f->elf, ".debug_line_str", &s->line_str, &s->n_line_str);
		}
	}
	if (!f->dwarf || !f->lines.line)
		return 0;
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Die cu;
	bool found = false;
	while (!found && dwarf_nextcu(f->dwarf, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (!dwarf_offdie(f->dwarf, off + hsize, &cu))
			return 0;
		int h = die_holds(&cu, addr);
		if (h < 0)
			return 0;
		found = h > 0;
		if (!found)
			off = next;
	}
	if (!found)
		return 0;
	Dwarf_Attribute a;
	Dwarf_Word stmt;
	Dwarf_Die cudie;
	uint8_t addrsize = 0;
	if (!dwarf_attr(&cu, DW_AT_stmt_list, &a) || dwarf_formudata(&a, &stmt) != 0 ||
	    !dwarf_diecu(&cu, &cudie, &addrsize, NULL))
		return 0;
	const char *comp = dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &a));
	char *file;
	int64_t line;
	if (!dwarfline_seek_pc(&f->lines, stmt, addrsize, comp ? comp : "", addr, &file, &line))
		return 0;
	bool bad = false;
	const char *name = subprogram_name(f->dwarf, off, addr, &bad);
	if (bad) {
		free(file);
		return 0;
	}
	fr->func = name ? name : "";
	fr->file = keep(f, file);
	fr->line = line;
	return 1;
}

int objfile_source_line(struct objfile *f, uint64_t addr, struct objframe *fr)
{
	addr -= f->offset;
	const struct gofunc *fn = pc_to_func(&f->pcln, addr);
	if (fn) {
		fr->func = fn->name;
		fr->file = pc_to_file(&f->pcln, addr);
		fr->line = pc_to_line(&f->pcln, addr);
		return 1;
	}
	return dwarf_line(f, addr, fr);
}

void objfile_close(struct objfile *f)
{
	if (!f)
		return;
	if (f->dwarf)
		dwarf_end(f->dwarf);
	elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
	free(f->pcln.funcs);
	for (size_t i = 0; i < f->n_strs; i++)
		free(f->strs[i]);
	free(f->strs);
	free(f);
}
