/* test_capture.c — pcap capture as a frame tap (runtime/capture.h) on a
 * host's tap list, read back with libpcap: the discovery and control frames
 * are written and IP data only when asked; rotation at the size keeps
 * FILE, FILE.1 .. FILE.(files-1), newest first, the oldest gone; a write
 * error (a file size limit, RLIMIT_FSIZE) stops the capture with one log line
 * and takes its tap off the host, and the frames after it cost nothing; a
 * symbolic link as FILE is refused; files are mode 0600. */
#include <errno.h>
#include <pcap/pcap.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "runtime/capture.h"
#include "runtime/host.h"

static char dir[] = "/tmp/uppp-capture-XXXXXX";
static char logged[8192];

static void log_line(void *ud, enum uppp_log_level level, const char *line)
{
	(void)ud, (void)level;
	size_t n = strlen(logged);
	snprintf(logged + n, sizeof(logged) - n, "%s\n", line);
}

static struct uppp_host *host_new(void)
{
	struct uppp_host *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	uppp_log_init_callback(&h->log, log_line, NULL, UPPP_LOG_DEBUG);
	logged[0] = '\0';
	return h;
}

/* A PPPoE frame from the client: discovery (PADI), session LCP, or session
 * IPv4; seq in its last byte, so that each can be told apart. */
enum kind { PADI, LCP, IPV4 };
static size_t make(uint8_t *f, enum kind k, uint8_t seq)
{
	static const uint8_t head[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01 };
	memset(f, 0, 64);
	memcpy(f, head, 12);
	f[12] = 0x88;
	f[13] = k == PADI ? 0x63 : 0x64;
	f[14] = 0x11;
	f[15] = k == PADI ? 0x09 : 0x00;
	f[19] = 44;
	if (k == LCP)
		f[20] = 0xc0, f[21] = 0x21;
	if (k == IPV4)
		f[20] = 0x00, f[21] = 0x21;
	f[63] = seq;
	return 64;
}

static void feed(struct uppp_host *h, enum kind k, uint8_t seq)
{
	uint8_t f[64];
	size_t n = make(f, k, seq);
	if (h->taps.head)   /* as host.c's hook */
		uppp_taps_frame(&h->taps, UPPP_TAP_IN, f, n, 0);
}

/* The frames of a pcap file, their last bytes (seq) in seqs; -1 when it is
 * no pcap file. */
static int read_pcap(const char *path, uint8_t *seqs, int max)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return -1;
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int n = 0;
	while (pcap_next_ex(p, &hdr, &data) == 1) {
		assert_int_equal(hdr->caplen, 64);
		assert_true(hdr->ts.tv_sec > 1600000000);   /* wall-clock time */
		if (n < max)
			seqs[n] = data[63];
		n++;
	}
	pcap_close(p);
	return n;
}

static void path_of(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

static void control_frames_and_data_when_asked(void **state)
{
	char path[256];
	char err[512];
	uint8_t seqs[16];
	struct uppp_capture *c;
	struct uppp_host *h = host_new();
	(void)state;
	for (int data = 0; data < 2; data++) {
		path_of(path, sizeof(path), data ? "data.pcap" : "ctl.pcap");
		struct uppp_capture_config cfg = { .path = path, .data = data };
		assert_int_equal(uppp_capture_open(&cfg, h, &c, err, sizeof(err)), 0);
		assert_non_null(strstr(logged, "layer=capture event=started"));
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		feed(h, PADI, 1);
		feed(h, LCP, 2);
		feed(h, IPV4, 3);
		feed(h, LCP, 4);
		/* flushed as it comes: readable before the capture stops */
		assert_int_equal(read_pcap(path, seqs, 16), data ? 4 : 3);
		uppp_capture_close(c);
		assert_null(h->taps.head);
		int n = read_pcap(path, seqs, 16);
		if (data) {
			assert_int_equal(n, 4);
			assert_memory_equal(seqs, "\x01\x02\x03\x04", 4);
		} else {
			assert_int_equal(n, 3);
			assert_memory_equal(seqs, "\x01\x02\x04", 3);
		}
	}
	free(h);
}

static void rotation(void **state)
{
	char path[256], p1[300], err[512];
	uint8_t seqs[64];
	struct uppp_capture *c;
	struct uppp_host *h = host_new();
	(void)state;
	path_of(path, sizeof(path), "rot.pcap");
	/* 24 header + 3 records of 16 + 64 = 264: three frames a file */
	struct uppp_capture_config cfg = { .path = path, .size_bytes = 264, .files = 3 };
	assert_int_equal(uppp_capture_open(&cfg, h, &c, err, sizeof(err)), 0);
	for (uint8_t i = 1; i <= 10; i++)
		feed(h, LCP, i);
	struct uppp_capture_status st;
	uppp_capture_status(c, &st);
	assert_true(st.active);
	assert_int_equal(st.frames, 10);
	assert_int_equal(st.rotations, 3);
	uppp_capture_close(c);
	/* 1-3 went, 4-6 in .2, 7-9 in .1, 10 in FILE */
	assert_int_equal(read_pcap(path, seqs, 64), 1);
	assert_int_equal(seqs[0], 10);
	snprintf(p1, sizeof(p1), "%s.1", path);
	assert_int_equal(read_pcap(p1, seqs, 64), 3);
	assert_memory_equal(seqs, "\x07\x08\x09", 3);
	snprintf(p1, sizeof(p1), "%s.2", path);
	assert_int_equal(read_pcap(p1, seqs, 64), 3);
	assert_memory_equal(seqs, "\x04\x05\x06", 3);
	snprintf(p1, sizeof(p1), "%s.3", path);
	assert_int_equal(access(p1, F_OK), -1);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size <= 264);

	/* files = 1: FILE starts again, nothing kept */
	path_of(path, sizeof(path), "one.pcap");
	cfg = (struct uppp_capture_config){ .path = path, .size_bytes = 264, .files = 1 };
	assert_int_equal(uppp_capture_open(&cfg, h, &c, err, sizeof(err)), 0);
	for (uint8_t i = 1; i <= 5; i++)
		feed(h, LCP, i);
	uppp_capture_close(c);
	assert_int_equal(read_pcap(path, seqs, 64), 2);
	assert_memory_equal(seqs, "\x04\x05", 2);
	snprintf(p1, sizeof(p1), "%s.1", path);
	assert_int_equal(access(p1, F_OK), -1);
	free(h);
}

static void write_error_stops_it(void **state)
{
	char path[256], err[512];
	uint8_t seqs[16];
	struct uppp_capture *c;
	struct uppp_host *h = host_new();
	struct rlimit old, lim;
	(void)state;
	path_of(path, sizeof(path), "full.pcap");
	struct uppp_capture_config cfg = { .path = path };
	assert_int_equal(uppp_capture_open(&cfg, h, &c, err, sizeof(err)), 0);
	/* the file may not grow past 200 bytes: the third frame fails (EFBIG) */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 200;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	feed(h, PADI, 1);
	feed(h, LCP, 2);
	assert_non_null(h->taps.head);
	feed(h, LCP, 3);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	/* stopped: one line, the tap off the host, the status says why */
	assert_null(h->taps.head);
	const char *line = strstr(logged, "layer=capture event=stopped");
	assert_non_null(line);
	assert_non_null(strstr(line, "File too large"));
	assert_null(strstr(line + 1, "layer=capture event=stopped"));
	struct uppp_capture_status st;
	uppp_capture_status(c, &st);
	assert_false(st.active);
	assert_int_equal(st.frames, 2);
	assert_non_null(strstr(st.error, "File too large"));
	feed(h, LCP, 4);   /* nobody taps: nothing happens */
	uppp_capture_close(c);
	assert_int_equal(read_pcap(path, seqs, 16) >= 2, 1);
	assert_memory_equal(seqs, "\x01\x02", 2);
	free(h);
}

static void refuses_a_symlink(void **state)
{
	char path[256], target[256], err[512];
	struct uppp_capture *c = (struct uppp_capture *)1;
	struct uppp_host *h = host_new();
	(void)state;
	path_of(path, sizeof(path), "link.pcap");
	path_of(target, sizeof(target), "target");
	assert_int_equal(symlink(target, path), 0);
	struct uppp_capture_config cfg = { .path = path };
	assert_int_equal(uppp_capture_open(&cfg, h, &c, err, sizeof(err)), -ELOOP);
	assert_null(c);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(access(target, F_OK), -1);
	assert_null(h->taps.head);
	free(h);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(control_frames_and_data_when_asked),
		cmocka_unit_test(rotation),
		cmocka_unit_test(write_error_stops_it),
		cmocka_unit_test(refuses_a_symlink),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
