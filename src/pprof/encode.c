/* profile.proto encoding. The top-level Profile message is written field by field so that
 * no copy of the whole profile is ever built in protobuf-c's structs: each sub-message
 * (Sample, Location, ...) is filled on the stack and packed by protobuf-c, then the whole
 * message is gzip'd with zlib. Strings are renumbered in order of first use. */
#include "pprof/encode.h"

#include <string.h>
#include <zlib.h>

#include "model/labels.h"
#include "profile.pb-c.h"
#include "util/xalloc.h"

struct enc {
	const struct profile *p;
	struct strbuf msg;   /* the uncompressed Profile message */
	uint32_t *str_out;   /* strtab id -> string table index + 1 (0: not yet used) */
	uint32_t *str_order; /* string table index -> strtab id */
	size_t n_str;
	uint8_t *scratch; /* packing buffer for one sub-message */
	size_t cap_scratch;
};

static void put_varint(struct strbuf *sb, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;
	do {
		b[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	strbuf_add(sb, b, n);
}

static void put_tag(struct strbuf *sb, unsigned field, unsigned wire)
{
	put_varint(sb, (uint64_t)field << 3 | wire);
}

/* An int64 field, left out when zero as proto3 does. */
static void put_int64(struct strbuf *sb, unsigned field, int64_t v)
{
	if (v == 0)
		return;
	put_tag(sb, field, 0);
	put_varint(sb, (uint64_t)v);
}

/* The string table index of strtab id s, assigning the next one on first use. */
static int64_t str(struct enc *e, uint32_t s)
{
	if (!e->str_out[s]) {
		e->str_order[e->n_str] = s;
		e->str_out[s] = (uint32_t)++e->n_str;
	}
	return (int64_t)e->str_out[s] - 1;
}

/* Packs one sub-message as field number field of the Profile. */
static void put_message(struct enc *e, unsigned field, const ProtobufCMessage *m)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	XGROW(e->scratch, e->cap_scratch, n + 1);
	size_t got = protobuf_c_message_pack(m, e->scratch);
	put_tag(&e->msg, field, 2);
	put_varint(&e->msg, got);
	strbuf_add(&e->msg, e->scratch, got);
}

static void put_samples(struct enc *e)
{
	const struct profile *p = e->p;
	uint32_t max_depth = 0, max_labels = 0;
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		if (p->stacks[sa->stack].depth > max_depth)
			max_depth = p->stacks[sa->stack].depth;
		if (sa->n_labels > max_labels)
			max_labels = sa->n_labels;
	}
	uint64_t *locs = xmalloc((max_depth + 1) * sizeof(*locs));
	Perftools__Profiles__Label *labels = xmalloc((max_labels + 1) * sizeof(*labels));
	Perftools__Profiles__Label **label_ptrs = xmalloc((max_labels + 1) * sizeof(*label_ptrs));
	struct stack_buf sb = { 0 };
	for (size_t s = 0; s < p->n_samples; s++) {
		const struct sample *sa = &p->samples[s];
		Perftools__Profiles__Sample m = PERFTOOLS__PROFILES__SAMPLE__INIT;
		uint32_t depth = p->stacks[sa->stack].depth;
		const uint32_t *stack = profile_stack(p, sa->stack, &sb);
		for (uint32_t i = 0; i < depth; i++)
			locs[i] = (uint64_t)stack[i] + 1;
		m.n_location_id = depth;
		m.location_id = locs;
		m.n_value = p->n_types;
		m.value = (int64_t *)profile_values(p, s);
		size_t n = 0;
		for (uint32_t i = 0; i < sa->n_labels; i++) {
			const struct label *l = &p->labels[sa->first_label + i];
			if (!label_kept(l))
				continue;
			Perftools__Profiles__Label lm = PERFTOOLS__PROFILES__LABEL__INIT;
			lm.key = str(e, l->key);
			if (l->str) {
				lm.str = str(e, l->str);
			} else {
				lm.num = l->num;
				lm.num_unit = l->num_unit ? str(e, l->num_unit) : 0;
			}
			labels[n] = lm;
			label_ptrs[n] = &labels[n];
			n++;
		}
		m.n_label = n;
		m.label = label_ptrs;
		put_message(e, 2, &m.base);
	}
	free(locs);
	stack_buf_release(&sb);
	free(labels);
	free(label_ptrs);
}

static void put_mappings(struct enc *e)
{
	const struct profile *p = e->p;
	for (size_t i = 0; i < p->n_mappings; i++) {
		const struct mapping *mp = &p->mappings[i];
		Perftools__Profiles__Mapping m = PERFTOOLS__PROFILES__MAPPING__INIT;
		m.id = i + 1;
		m.memory_start = mp->start;
		m.memory_limit = mp->limit;
		m.file_offset = mp->offset;
		m.filename = str(e, mp->file);
		m.build_id = str(e, mp->build_id);
		m.has_functions = mp->has_functions;
		m.has_filenames = mp->has_filenames;
		m.has_line_numbers = mp->has_line_numbers;
		m.has_inline_frames = mp->has_inline_frames;
		put_message(e, 3, &m.base);
	}
}

static void put_locations(struct enc *e)
{
	const struct profile *p = e->p;
	uint32_t max_lines = 0;
	for (size_t i = 0; i < p->n_locations; i++)
		if (p->locations[i].n_lines > max_lines)
			max_lines = p->locations[i].n_lines;
	Perftools__Profiles__Line *lines = xmalloc((max_lines + 1) * sizeof(*lines));
	Perftools__Profiles__Line **line_ptrs = xmalloc((max_lines + 1) * sizeof(*line_ptrs));
	for (size_t i = 0; i < p->n_locations; i++) {
		const struct location *l = &p->locations[i];
		Perftools__Profiles__Location m = PERFTOOLS__PROFILES__LOCATION__INIT;
		m.id = i + 1;
		m.mapping_id = l->mapping == PROFILE_NONE ? 0 : (uint64_t)l->mapping + 1;
		m.address = l->address;
		m.is_folded = l->is_folded;
		for (uint32_t k = 0; k < l->n_lines; k++) {
			const struct line *ln = &p->lines[l->first_line + k];
			Perftools__Profiles__Line lm = PERFTOOLS__PROFILES__LINE__INIT;
			lm.function_id = ln->function == PROFILE_NONE ? 0
								      : (uint64_t)ln->function + 1;
			lm.line = ln->line;
			lm.column = ln->column;
			lines[k] = lm;
			line_ptrs[k] = &lines[k];
		}
		m.n_line = l->n_lines;
		m.line = line_ptrs;
		put_message(e, 4, &m.base);
	}
	free(lines);
	free(line_ptrs);
}

static void put_functions(struct enc *e)
{
	const struct profile *p = e->p;
	for (size_t i = 0; i < p->n_functions; i++) {
		const struct function *f = &p->functions[i];
		Perftools__Profiles__Function m = PERFTOOLS__PROFILES__FUNCTION__INIT;
		m.id = i + 1;
		m.name = str(e, f->name);
		m.system_name = str(e, f->system_name);
		m.filename = str(e, f->filename);
		m.start_line = f->start_line;
		put_message(e, 5, &m.base);
	}
}

static void put_value_type(struct enc *e, unsigned field, const struct value_type *t)
{
	Perftools__Profiles__ValueType m = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	m.type = str(e, t->type);
	m.unit = str(e, t->unit);
	put_message(e, field, &m.base);
}

/* Everything but the string table, in pprof's field order. */
static void put_profile(struct enc *e)
{
	const struct profile *p = e->p;
	str(e, 0); /* string_table[0] must be "" */
	for (size_t i = 0; i < p->n_types; i++)
		put_value_type(e, 1, &p->types[i]);
	put_samples(e);
	put_mappings(e);
	put_locations(e);
	put_functions(e);
	/* The remaining fields follow the string table, so their indexes are taken now and
	 * written once the table is out. */
	int64_t drop = str(e, p->drop_frames), keep = str(e, p->keep_frames);
	int64_t pt_type = str(e, p->period_type.type), pt_unit = str(e, p->period_type.unit);
	int64_t dflt = str(e, p->default_sample_type), doc = str(e, p->doc_url);
	int64_t *comments = xmalloc((p->n_comments + 1) * sizeof(*comments));
	for (size_t i = 0; i < p->n_comments; i++)
		comments[i] = str(e, p->comments[i]);

	for (size_t i = 0; i < e->n_str; i++) {
		uint32_t id = e->str_order[i];
		put_tag(&e->msg, 6, 2);
		put_varint(&e->msg, p->strs.len[id]);
		strbuf_add(&e->msg, profile_str(p, id), p->strs.len[id]);
	}
	put_int64(&e->msg, 7, drop);
	put_int64(&e->msg, 8, keep);
	put_int64(&e->msg, 9, p->time_nanos);
	put_int64(&e->msg, 10, p->duration_nanos);
	if (pt_type || pt_unit)
		put_value_type(e, 11, &p->period_type);
	put_int64(&e->msg, 12, p->period);
	if (p->n_comments) {
		struct strbuf packed = STRBUF_INIT;
		for (size_t i = 0; i < p->n_comments; i++)
			put_varint(&packed, (uint64_t)comments[i]);
		put_tag(&e->msg, 13, 2);
		put_varint(&e->msg, packed.len);
		strbuf_add(&e->msg, packed.buf, packed.len);
		strbuf_release(&packed);
	}
	put_int64(&e->msg, 14, dflt);
	put_int64(&e->msg, 15, doc);
	free(comments);
}

static int gzip_into(const struct strbuf *in, struct strbuf *out, struct cprof_error *err)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	/* windowBits 15 + 16: a gzip wrapper, with zlib's fixed header (no name, mtime 0). */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return error_set(err, "gzip: cannot initialise zlib");
	const char *src = in->buf ? in->buf : "";
	size_t left = in->len;
	int flush, rc = Z_OK;
	do {
		size_t chunk = left > ((size_t)1 << 30) ? (size_t)1 << 30 : left;
		z.next_in = (Bytef *)src;
		z.avail_in = (uInt)chunk;
		src += chunk;
		left -= chunk;
		flush = left ? Z_NO_FLUSH : Z_FINISH;
		do {
			strbuf_grow(out, 65536);
			z.next_out = (Bytef *)out->buf + out->len;
			z.avail_out = 65536;
			rc = deflate(&z, flush);
			out->len = (size_t)((char *)z.next_out - out->buf);
		} while (rc != Z_STREAM_ERROR && z.avail_out == 0);
	} while (rc != Z_STREAM_ERROR && flush != Z_FINISH);
	out->buf[out->len] = '\0';
	deflateEnd(&z);
	if (rc != Z_STREAM_END)
		return error_set(err, "gzip: compression failed");
	return 0;
}

int encode_profile(const struct profile *p, struct strbuf *out, struct cprof_error *err)
{
	if (p->strs.count > UINT32_MAX - 1)
		return error_set(err, "profile too large to encode");
	struct enc e = { .p = p };
	strbuf_init(&e.msg);
	e.str_out = xcalloc(p->strs.count + 1, sizeof(*e.str_out));
	e.str_order = xmalloc((p->strs.count + 1) * sizeof(*e.str_order));
	put_profile(&e);
	int rc = gzip_into(&e.msg, out, err);
	free(e.str_out);
	free(e.str_order);
	free(e.scratch);
	strbuf_release(&e.msg);
	return rc;
}

int encode_profile_scaled(const struct profile *p, double ratio, struct strbuf *out,
			  struct cprof_error *err)
{
	if (!(ratio > 0 && ratio != 1))
		return encode_profile(p, out, err);
	struct profile view;
	profile_view_scaled(&view, p, ratio);
	int rc = encode_profile(&view, out, err);
	profile_view_release(&view);
	return rc;
}
