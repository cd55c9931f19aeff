/* SPDX-License-Identifier: MIT */
/*
 * The shared counters file (see metrics.h). A worker takes the file's lock
 * (flock) only at start-up, to claim its slots: one per route, keyed by
 * "METHOD pattern" so that a binary with another route table shares the
 * counters of the routes both have, and one for the process. A scrape takes
 * it shared while it reads the slots' names. Requests only add to counters,
 * with relaxed atomic adds: no lock on the way of a request.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "db/db.h"
#include "http/http.h"
#include "metrics.h"
#include "routes.h"

#define ROUTE_SLOTS 512
#define PROCESS_SLOTS 256
#define NAME_MAX_LEN 120
#define STATUS_CLASSES 5        /* 1xx .. 5xx */
#define MAGIC "inventory-mtr1"
/* Requests that matched no route (404, 405, or refused before matching). */
#define UNMATCHED_NAME "- unmatched"

const uint64_t metrics_bound_usec[METRICS_BOUNDS] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000,
};

/* The same bounds as the exposition writes them (le="..."). */
static const char *const bound_labels[METRICS_BOUNDS + 1] = {
	"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
	"1", "2.5", "5", "10", "+Inf",
};

struct counters {
	uint64_t status[STATUS_CLASSES];
	uint64_t bucket[METRICS_BOUNDS + 1];   /* per bucket, not cumulative; last: +Inf */
	uint64_t usec;                          /* the sum of the durations */
	uint64_t statements;
	uint64_t retries;
	uint64_t replays;
};

struct route_slot {
	char name[NAME_MAX_LEN];                /* "GET /api/inventory"; empty: free */
	struct counters c;
};

struct process_slot {
	int64_t pid;                            /* 0: free */
	uint64_t start_ticks;                   /* tells a reused pid apart */
	uint64_t started_usec;                  /* wall clock */
};

struct metrics_file {
	char magic[16];
	struct process_slot procs[PROCESS_SLOTS];
	struct route_slot routes[ROUTE_SLOTS];
};

static struct metrics_file *seg;
static int seg_fd = -1;
static struct counters **route_counters;   /* by index in routes[] */
static struct counters *unmatched;

static void add(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static uint64_t load(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* Reads /proc/<pid>/<name> into buf (NUL-terminated). Returns 0 or -1. */
static int read_proc(int64_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%lld/%s", (long long)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* When process pid started, in clock ticks after boot; 0 when it is gone
 * (a killed worker stays a zombie until its parent, often init, reaps it). */
static uint64_t process_start_ticks(int64_t pid)
{
	char buf[1024], *p;
	unsigned long long ticks = 0;
	int field;

	if (read_proc(pid, "stat", buf, sizeof(buf)))
		return 0;
	/* The name (field 2) may hold spaces and parentheses: count from the
	 * last ')'. The state is field 3, the start time field 22. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &ticks) != 1)
		return 0;
	return ticks;
}

static int process_alive(const struct process_slot *ps)
{
	return ps->pid > 0 && process_start_ticks(ps->pid) == ps->start_ticks;
}

/* Resident memory of pid in bytes, 0 when unknown. */
static uint64_t process_rss(int64_t pid)
{
	char buf[128];
	unsigned long long size, resident;

	if (read_proc(pid, "statm", buf, sizeof(buf)) ||
	    sscanf(buf, "%llu %llu", &size, &resident) != 2)
		return 0;
	return resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

char *metrics_default_path(int fd)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	struct strbuf sb = STRBUF_INIT;
	const char *slash;
	size_t path_len;

	memset(&sun, 0, sizeof(sun));
	if (getsockname(fd, (struct sockaddr *)&sun, &len) || sun.sun_family != AF_UNIX ||
	    len <= offsetof(struct sockaddr_un, sun_path) || !sun.sun_path[0])
		return NULL;
	path_len = strnlen(sun.sun_path, len - offsetof(struct sockaddr_un, sun_path));
	slash = memrchr(sun.sun_path, '/', path_len);
	if (slash)
		strbuf_add(&sb, sun.sun_path, (size_t)(slash - sun.sun_path) + 1);
	strbuf_adds(&sb, METRICS_FILE_NAME);
	return strbuf_detach(&sb);
}

/* The slot named name: the existing one, else a free one. NULL when full. */
static struct counters *claim_route(const char *name)
{
	struct route_slot *free_slot = NULL;
	size_t i, len = strlen(name);

	if (len >= NAME_MAX_LEN)
		return NULL;
	for (i = 0; i < ROUTE_SLOTS; i++) {
		struct route_slot *s = &seg->routes[i];

		if (!s->name[0]) {
			if (!free_slot)
				free_slot = s;
		} else if (!strcmp(s->name, name)) {
			return &s->c;
		}
	}
	if (!free_slot)
		return NULL;
	memcpy(free_slot->name, name, len + 1);   /* len < NAME_MAX_LEN, checked above */
	return &free_slot->c;
}

/* Takes a free slot, or that of a process that is gone. Returns 0 or -1. */
static int claim_process(void)
{
	uint64_t ticks = process_start_ticks(getpid());
	size_t i;

	for (i = 0; i < PROCESS_SLOTS; i++) {
		struct process_slot *ps = &seg->procs[i];

		if (ps->pid && process_alive(ps) && ps->pid != getpid())
			continue;
		ps->pid = getpid();
		ps->start_ticks = ticks;
		ps->started_usec = wall_usec();
		return 0;
	}
	return -1;
}

/* Claims this process's slots; the caller holds the file's lock. */
static void claim_slots(void)
{
	struct strbuf name = STRBUF_INIT;
	size_t i, lost = 0;

	if (strncmp(seg->magic, MAGIC, sizeof(seg->magic)))
		strncpy(seg->magic, MAGIC, sizeof(seg->magic));
	route_counters = xcalloc(routes_count, sizeof(*route_counters));
	for (i = 0; i < routes_count; i++) {
		strbuf_reset(&name);
		strbuf_addf(&name, "%s %s", http_method_names[routes[i].method], routes[i].pattern);
		route_counters[i] = claim_route(name.buf);
		lost += !route_counters[i];
	}
	unmatched = claim_route(UNMATCHED_NAME);
	if (lost || !unmatched)
		error("metrics: no room for %zu routes: they are not counted", lost + !unmatched);
	if (claim_process())
		error("metrics: no room for this process: its uptime and memory are not shown");
	strbuf_release(&name);
}

static int map_private(void)
{
	void *m = mmap(NULL, sizeof(*seg), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		die("metrics: unable to map %zu bytes: %s", sizeof(*seg), strerror(errno));
	seg = m;
	claim_slots();
	return 0;
}

int metrics_open(const char *path)
{
	struct stat st;
	void *m;
	int fd = -1, ret = -1;

	metrics_close();
	if (!path)
		return map_private();
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		error("metrics: unable to open '%s': %s", path, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX) || fstat(fd, &st)) {
		error("metrics: unable to lock '%s': %s", path, strerror(errno));
		goto out;
	}
	if (st.st_size == 0 && ftruncate(fd, sizeof(*seg))) {
		error("metrics: unable to size '%s': %s", path, strerror(errno));
		goto out;
	}
	if (st.st_size != 0 && st.st_size != (off_t)sizeof(*seg)) {
		error("metrics: '%s' is not a counters file of this version", path);
		goto out;
	}
	m = mmap(NULL, sizeof(*seg), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		error("metrics: unable to map '%s': %s", path, strerror(errno));
		goto out;
	}
	seg = m;
	if (seg->magic[0] && strncmp(seg->magic, MAGIC, sizeof(seg->magic))) {
		error("metrics: '%s' is not a counters file of this version", path);
		munmap(seg, sizeof(*seg));
		seg = NULL;
		goto out;
	}
	claim_slots();
	flock(fd, LOCK_UN);
	seg_fd = fd;
	fd = -1;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret)
		map_private();
	return ret;
}

void metrics_close(void)
{
	if (seg)
		munmap(seg, sizeof(*seg));
	if (seg_fd >= 0)
		close(seg_fd);
	free(route_counters);
	seg = NULL;
	seg_fd = -1;
	route_counters = NULL;
	unmatched = NULL;
}

void metrics_record_request(const struct req *r, uint64_t usec)
{
	struct counters *c = unmatched;
	size_t b = 0;
	int class = r->status / 100 - 1;

	if (!seg)
		return;
	if (r->route && r->route >= routes && r->route < routes + routes_count)
		c = route_counters[r->route - routes];
	if (!c)
		return;
	if (class < 0 || class >= STATUS_CLASSES)
		class = STATUS_CLASSES - 1;
	while (b < METRICS_BOUNDS && usec > metrics_bound_usec[b])
		b++;
	add(&c->status[class], 1);
	add(&c->bucket[b], 1);
	add(&c->usec, usec);
	add(&c->statements, req_queries(r) - r->queries_at_start);
	if (r->retries)
		add(&c->retries, r->retries);
	if (r->replayed)
		add(&c->replays, 1);
}

/* ---- the exposition ---- */

void metrics_add_label_value(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			strbuf_addch(out, '\\');
		if (*s == '\n')
			strbuf_adds(out, "\\n");
		else
			strbuf_addch(out, *s);
	}
}

static void family(struct strbuf *out, const char *name, const char *type, const char *help)
{
	strbuf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A slot's counters as read now, and its labels. */
struct route_view {
	struct counters c;
	uint64_t count;             /* requests: the sum of the buckets */
	struct strbuf labels;       /* method="GET",route="/api/inventory" */
};

static void add_route_labels(struct strbuf *labels, const char *name)
{
	const char *space = strchr(name, ' ');
	char *method = xstrdup(name);

	method[space ? (size_t)(space - name) : 0] = '\0';
	strbuf_adds(labels, "method=\"");
	metrics_add_label_value(labels, method);
	strbuf_adds(labels, "\",route=\"");
	metrics_add_label_value(labels, space ? space + 1 : name);
	strbuf_addch(labels, '"');
	free(method);
}

/* Reads the slots that have answered; the caller releases them. */
static size_t read_routes(struct route_view *views)
{
	size_t i, j, n = 0;

	for (i = 0; i < ROUTE_SLOTS; i++) {
		const struct route_slot *s = &seg->routes[i];
		struct route_view *v = &views[n];
		const uint64_t *from = (const uint64_t *)&s->c;
		uint64_t *to = (uint64_t *)&v->c;

		if (!s->name[0])
			continue;
		for (j = 0; j < sizeof(s->c) / sizeof(uint64_t); j++)
			to[j] = load(&from[j]);
		v->count = 0;
		for (j = 0; j <= METRICS_BOUNDS; j++)
			v->count += v->c.bucket[j];
		if (!v->count)
			continue;
		strbuf_init(&v->labels);
		add_route_labels(&v->labels, s->name);
		n++;
	}
	return n;
}

static void write_routes(struct strbuf *out, struct route_view *v, size_t n)
{
	static const char *const classes[STATUS_CLASSES] = { "1xx", "2xx", "3xx", "4xx", "5xx" };
	size_t i, j;

	family(out, "inventory_http_requests_total", "counter",
	       "Requests answered, by route (the route table's pattern) and status class.");
	for (i = 0; i < n; i++)
		for (j = 0; j < STATUS_CLASSES; j++)
			if (j > 0 || v[i].c.status[j])
				strbuf_addf(out, "inventory_http_requests_total{%s,status_class=\"%s\"} %llu\n",
					    v[i].labels.buf, classes[j],
					    (unsigned long long)v[i].c.status[j]);
	family(out, "inventory_http_request_duration_seconds", "histogram",
	       "Time from taking a request to its answer handed to nginx.");
	for (i = 0; i < n; i++) {
		uint64_t cumulative = 0;

		for (j = 0; j <= METRICS_BOUNDS; j++) {
			cumulative += v[i].c.bucket[j];
			strbuf_addf(out, "inventory_http_request_duration_seconds_bucket{%s,le=\"%s\"} %llu\n",
				    v[i].labels.buf, bound_labels[j], (unsigned long long)cumulative);
		}
		strbuf_addf(out, "inventory_http_request_duration_seconds_sum{%s} %llu.%06llu\n",
			    v[i].labels.buf, (unsigned long long)(v[i].c.usec / 1000000u),
			    (unsigned long long)(v[i].c.usec % 1000000u));
		strbuf_addf(out, "inventory_http_request_duration_seconds_count{%s} %llu\n",
			    v[i].labels.buf, (unsigned long long)cumulative);
	}
	family(out, "inventory_db_statements_total", "counter",
	       "Database statements run for the route's requests.");
	for (i = 0; i < n; i++)
		strbuf_addf(out, "inventory_db_statements_total{%s} %llu\n", v[i].labels.buf,
			    (unsigned long long)v[i].c.statements);
	family(out, "inventory_db_deadlock_retries_total", "counter",
	       "Transactions run again after a deadlock or a lock wait timeout.");
	for (i = 0; i < n; i++)
		strbuf_addf(out, "inventory_db_deadlock_retries_total{%s} %llu\n", v[i].labels.buf,
			    (unsigned long long)v[i].c.retries);
	family(out, "inventory_idempotent_replays_total", "counter",
	       "Requests answered with the stored answer of their Idempotency-Key.");
	for (i = 0; i < n; i++)
		strbuf_addf(out, "inventory_idempotent_replays_total{%s} %llu\n", v[i].labels.buf,
			    (unsigned long long)v[i].c.replays);
}

static void write_processes(struct strbuf *out)
{
	struct process_slot alive[PROCESS_SLOTS];
	uint64_t now = wall_usec();
	size_t i, n = 0;

	for (i = 0; i < PROCESS_SLOTS; i++)
		if (process_alive(&seg->procs[i]))
			alive[n++] = seg->procs[i];
	family(out, "inventory_processes", "gauge", "Worker processes alive.");
	strbuf_addf(out, "inventory_processes %zu\n", n);
	family(out, "inventory_process_start_time_seconds", "gauge",
	       "When the worker started, in seconds since the Unix epoch.");
	for (i = 0; i < n; i++)
		strbuf_addf(out, "inventory_process_start_time_seconds{pid=\"%lld\"} %llu\n",
			    (long long)alive[i].pid, (unsigned long long)(alive[i].started_usec / 1000000u));
	family(out, "inventory_process_uptime_seconds", "gauge", "How long the worker has run.");
	for (i = 0; i < n; i++) {
		uint64_t up = now > alive[i].started_usec ? now - alive[i].started_usec : 0;

		strbuf_addf(out, "inventory_process_uptime_seconds{pid=\"%lld\"} %llu.%03llu\n",
			    (long long)alive[i].pid, (unsigned long long)(up / 1000000u),
			    (unsigned long long)(up % 1000000u / 1000u));
	}
	family(out, "inventory_process_resident_memory_bytes", "gauge",
	       "The worker's resident memory.");
	for (i = 0; i < n; i++)
		strbuf_addf(out, "inventory_process_resident_memory_bytes{pid=\"%lld\"} %llu\n",
			    (long long)alive[i].pid, (unsigned long long)process_rss(alive[i].pid));
}

void metrics_write(struct strbuf *out)
{
	struct route_view *views;
	size_t i, n;

	if (!seg)
		return;
	family(out, "inventory_build_info", "gauge", "The version of inventory-api that answers.");
	strbuf_adds(out, "inventory_build_info{version=\"");
	metrics_add_label_value(out, PACKAGE_VERSION);
	strbuf_adds(out, "\"} 1\n");
	/* Names are written under the lock, by workers starting up. */
	if (seg_fd >= 0)
		flock(seg_fd, LOCK_SH);
	views = xcalloc(ROUTE_SLOTS, sizeof(*views));
	n = read_routes(views);
	write_processes(out);
	if (seg_fd >= 0)
		flock(seg_fd, LOCK_UN);
	write_routes(out, views, n);
	for (i = 0; i < n; i++)
		strbuf_release(&views[i].labels);
	free(views);
}
