/* runtime/capture.c — pcap capture, a frame tap (runtime/capture.h). */
#include "runtime/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/escape.h"
#include "runtime/host.h"

#define PCAP_FILE_HEADER 24u   /* struct pcap_file_header on disk */
#define PCAP_REC_HEADER 16u    /* each record's header on disk */
#define SNAPLEN 65535

struct uppp_capture {
	struct uppp_tap tap;          /* first: the callbacks get &c->tap */
	struct uppp_host *host;
	char path[PATH_MAX];
	char shown[UPPP_ESCAPED_MAX]; /* path, escaped, for the log */
	uint64_t size_max;
	unsigned files;
	pcap_t *dead;                 /* pcap_open_dead(DLT_EN10MB): the dump API's handle */
	pcap_dumper_t *dumper;        /* NULL once stopped */
	bool regular;                 /* FILE is a regular file: rotated */
	uint64_t bytes, frames;
	unsigned rotations;
	char error[256];
};

/* Opens path for a new pcap file (mode 0600, no symbolic link). */
static int dump_open(struct uppp_capture *c, char *err, size_t errcap)
{
	int fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errcap, "open %s: %s", c->shown, e == ELOOP ? "a symbolic link (refused)" : strerror(e));
		return -e;
	}
	struct stat st;
	c->regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		snprintf(err, errcap, "fdopen: %s", strerror(e));
		return -e;
	}
	c->dumper = pcap_dump_fopen(c->dead, f);
	if (!c->dumper) {
		snprintf(err, errcap, "pcap_dump_fopen: %s", pcap_geterr(c->dead));
		fclose(f);
		return -EIO;
	}
	if (pcap_dump_flush(c->dumper) < 0) {
		int e = errno ? errno : EIO;
		snprintf(err, errcap, "write %s: %s", c->shown, strerror(e));
		pcap_dump_close(c->dumper);
		c->dumper = NULL;
		return -e;
	}
	c->bytes = PCAP_FILE_HEADER;
	return 0;
}

/* Stops writing, after an error: one log line, the file closed, the tap
 * removed. The object stays (its status tells why) until closed. */
static void stop_on_error(struct uppp_capture *c, const char *why)
{
	snprintf(c->error, sizeof(c->error), "%s", why);
	if (c->dumper) {
		(void)fclose(pcap_dump_file(c->dumper));   /* pcap_dump_close would not tell */
		c->dumper = NULL;
	}
	uppp_host_tap_remove(c->host, &c->tap);
	uppp_logf(&c->host->log, UPPP_LOG_ERR, "layer=capture event=stopped path=%s frames=%llu err=\"%s\" "
		  "reason=\"the server goes on without capturing (uppp capture start to begin again)\"", c->shown,
		  (unsigned long long)c->frames, why);
}

/* FILE -> FILE.1 -> ... -> FILE.(files-1) (the oldest dropped), then a new FILE. */
static int rotate(struct uppp_capture *c, char *err, size_t errcap)
{
	char from[PATH_MAX + 16], to[PATH_MAX + 16];
	if (fclose(pcap_dump_file(c->dumper)) != 0) {
		c->dumper = NULL;
		snprintf(err, errcap, "write %s: %s", c->shown, strerror(errno));
		return -EIO;
	}
	c->dumper = NULL;
	if (c->files > 1) {
		for (unsigned i = c->files - 1; i > 1; i--) {
			snprintf(from, sizeof(from), "%s.%u", c->path, i - 1);
			snprintf(to, sizeof(to), "%s.%u", c->path, i);
			if (rename(from, to) < 0 && errno != ENOENT) {
				snprintf(err, errcap, "rotate: rename to %s.%u: %s", c->shown, i, strerror(errno));
				return -errno;
			}
		}
		snprintf(to, sizeof(to), "%s.1", c->path);
		if (rename(c->path, to) < 0) {
			snprintf(err, errcap, "rotate: rename to %s.1: %s", c->shown, strerror(errno));
			return -errno;
		}
	}
	c->rotations++;
	return dump_open(c, err, errcap);
}

static void capture_frame(struct uppp_tap *t, enum uppp_tap_dir dir, const uint8_t *frame, size_t len,
			  enum uppp_frame_class cls, uint64_t now_ms)
{
	struct uppp_capture *c = (struct uppp_capture *)t;
	char err[PATH_MAX + 128];
	(void)dir;
	(void)cls;
	(void)now_ms;
	if (!c->dumper)
		return;
	size_t caplen = len < SNAPLEN ? len : SNAPLEN;
	if (c->regular && c->bytes > PCAP_FILE_HEADER && c->bytes + PCAP_REC_HEADER + caplen > c->size_max &&
	    rotate(c, err, sizeof(err)) < 0) {
		stop_on_error(c, err);
		return;
	}
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)caplen, .len = (bpf_u_int32)len };
	gettimeofday(&h.ts, NULL);
	pcap_dump((u_char *)c->dumper, &h, frame);
	errno = 0;
	if (pcap_dump_flush(c->dumper) < 0 || ferror(pcap_dump_file(c->dumper))) {
		snprintf(err, sizeof(err), "write %s: %s", c->shown, strerror(errno ? errno : EIO));
		stop_on_error(c, err);
		return;
	}
	c->bytes += PCAP_REC_HEADER + caplen;
	c->frames++;
}

int uppp_capture_open(const struct uppp_capture_config *cfg, struct uppp_host *h, struct uppp_capture **out,
		      char *err, size_t errcap)
{
	*out = NULL;
	if (!cfg->path || !cfg->path[0] || strlen(cfg->path) >= PATH_MAX - 16) {
		snprintf(err, errcap, "no capture file, or a path too long");
		return -EINVAL;
	}
	struct uppp_capture *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errcap, "out of memory");
		return -ENOMEM;
	}
	c->host = h;
	snprintf(c->path, sizeof(c->path), "%s", cfg->path);
	uppp_escape((const uint8_t *)c->path, strlen(c->path), c->shown, sizeof(c->shown));
	c->size_max = cfg->size_bytes ? cfg->size_bytes : (uint64_t)UPPP_CAPTURE_SIZE_MB_DEFAULT << 20;
	c->files = cfg->files ? cfg->files : UPPP_CAPTURE_FILES_DEFAULT;
	c->tap.frame = capture_frame;
	c->tap.data = cfg->data;
	c->dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (!c->dead) {
		snprintf(err, errcap, "pcap_open_dead failed");
		free(c);
		return -ENOMEM;
	}
	int rc = dump_open(c, err, errcap);
	if (rc < 0) {
		pcap_close(c->dead);
		free(c);
		return rc;
	}
	uppp_host_tap_add(h, &c->tap);
	uppp_logf(&h->log, UPPP_LOG_INFO, "layer=capture event=started path=%s data=%s size-mb=%llu files=%u",
		  c->shown, cfg->data ? "yes" : "no", (unsigned long long)(c->size_max >> 20), c->files);
	*out = c;
	return 0;
}

void uppp_capture_status(const struct uppp_capture *c, struct uppp_capture_status *st)
{
	*st = (struct uppp_capture_status){
		.active = c->dumper != NULL, .path = c->path, .data = c->tap.data, .size_bytes = c->size_max,
		.files = c->files, .frames = c->frames, .bytes = c->bytes, .rotations = c->rotations,
		.error = c->error,
	};
}

void uppp_capture_close(struct uppp_capture *c)
{
	if (!c)
		return;
	if (c->dumper) {
		uppp_host_tap_remove(c->host, &c->tap);
		bool bad = pcap_dump_flush(c->dumper) < 0;
		bad |= fclose(pcap_dump_file(c->dumper)) != 0;
		uppp_logf(&c->host->log, bad ? UPPP_LOG_WARN : UPPP_LOG_INFO,
			  "layer=capture event=stopped path=%s frames=%llu rotations=%u%s", c->shown,
			  (unsigned long long)c->frames, c->rotations, bad ? " err=\"the last write failed\"" : "");
	}
	pcap_close(c->dead);
	free(c);
}
